/**
 * A form context over one record, as form scripts and form commands (`PrimaryControl`) receive it:
 * `data.entity` (id in `{GUID}` form, table, primary name, reference), `getAttribute(name)` with values read from the
 * Web API (lookups as [{ id, name, entityType }], date-times as Date, choices as numbers), `data.refresh()` that
 * re-reads the record and runs the `data.addOnLoad` handlers (formcontext-data.md: "called when form data is
 * loaded"), `ui.setFormNotification` / `clearFormNotification`, `ui.refreshRibbon` and `getControl(name)` for
 * subgrids the page registers.
 */
/// <reference types="xrm" />
import { braced } from '../context/globalContext';
import type { MessageBars } from '../ui/notifications';
import type { SandboxWebApi } from '../webApi/webApi';

export interface FormOptions {
  readonly webApi: SandboxWebApi;
  readonly entityName: string;
  /** Absent for a create form. */
  readonly id?: string | null;
  readonly primaryNameAttribute: string;
  /** Columns to read (lookups by logical name; read as _x_value). */
  readonly columns: readonly string[];
  readonly lookupColumns?: readonly string[];
  readonly notifications: MessageBars;
  readonly onRibbonRefresh?: () => void;
}

type Handler = (context: unknown) => void;

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export interface SandboxForm {
  readonly formContext: Xrm.FormContext;
  /** The execution context an OnLoad handler receives ("pass execution context as first parameter"). */
  eventContext(): Xrm.Events.EventContext;
  registerControl(name: string, control: unknown): void;
  /** The record as last read. */
  values(): Readonly<Record<string, unknown>>;
}

export async function createForm(options: FormOptions): Promise<SandboxForm> {
  const id = options.id ? options.id.replace(/[{}]/g, '').toLowerCase() : null;
  const lookups = new Set(options.lookupColumns ?? []);
  let values: Record<string, unknown> = {};
  const dataOnLoad: Handler[] = [];
  const changeHandlers = new Map<string, Handler[]>();
  const controls = new Map<string, unknown>();

  const read = async (): Promise<void> => {
    if (!id) return;
    const select = options.columns.map((c) => (lookups.has(c) ? `_${c}_value` : c)).join(',');
    const row = (await options.webApi.retrieveRecord(options.entityName, id, `?$select=${select}`)) as Record<string, unknown>;
    const next: Record<string, unknown> = {};
    for (const c of options.columns) {
      if (lookups.has(c)) {
        const v = row[`_${c}_value`];
        next[c] =
          typeof v === 'string'
            ? [{ id: braced(v), name: (row[`_${c}_value@OData.Community.Display.V1.FormattedValue`] as string) ?? null, entityType: (row[`_${c}_value@Microsoft.Dynamics.CRM.lookuplogicalname`] as string) ?? '' }]
            : null;
      } else {
        const v = row[c];
        next[c] = typeof v === 'string' && ISO_DATE_TIME.test(v) ? new Date(v) : (v ?? null);
      }
    }
    values = next;
  };

  // eventContext hands out formContext lazily: both refer to each other.
  const eventContext = (): Xrm.Events.EventContext =>
    ({ getFormContext: () => formContext, getEventSource: () => formContext, getDepth: () => 0, getContext: () => undefined, getEventArgs: () => null }) as unknown as Xrm.Events.EventContext;

  const attribute = (name: string): unknown => {
    if (!options.columns.includes(name)) return null;
    return {
      getName: () => name,
      getValue: () => values[name] ?? null,
      setValue: (v: unknown) => {
        values = { ...values, [name]: v };
      },
      getAttributeType: () => (lookups.has(name) ? 'lookup' : typeof values[name] === 'number' ? 'integer' : values[name] instanceof Date ? 'datetime' : 'string'),
      addOnChange: (h: Handler) => changeHandlers.set(name, [...(changeHandlers.get(name) ?? []), h]),
      removeOnChange: (h: Handler) => changeHandlers.set(name, (changeHandlers.get(name) ?? []).filter((x) => x !== h)),
      fireOnChange: () => (changeHandlers.get(name) ?? []).forEach((h) => h(eventContext())),
      getIsDirty: () => false,
    };
  };

  const entity = {
    getId: () => (id ? braced(id) : ''),
    getEntityName: () => options.entityName,
    getPrimaryAttributeValue: () => (values[options.primaryNameAttribute] as string | null) ?? null,
    getEntityReference: () => ({ id: id ? braced(id) : '', entityType: options.entityName, name: (values[options.primaryNameAttribute] as string | null) ?? null }),
    getIsDirty: () => false,
    attributes: { get: () => options.columns.map(attribute) },
  };

  const formContext = {
    data: {
      entity,
      refresh: (save?: boolean) => {
        void save;
        return (async () => {
          const before = { ...values };
          await read();
          for (const [name, handlers] of changeHandlers) if (before[name] !== values[name]) handlers.forEach((h) => h(eventContext()));
          for (const h of dataOnLoad) h(eventContext());
        })();
      },
      addOnLoad: (h: Handler) => void dataOnLoad.push(h),
      removeOnLoad: (h: Handler) => {
        const i = dataOnLoad.indexOf(h);
        if (i >= 0) dataOnLoad.splice(i, 1);
      },
      getIsDirty: () => false,
      isValid: () => true,
    },
    ui: {
      setFormNotification: (message: string, level: string, uniqueId: string) => options.notifications.setFormNotification(message, level, uniqueId),
      clearFormNotification: (uniqueId: string) => options.notifications.clear(uniqueId),
      refreshRibbon: () => options.onRibbonRefresh?.(),
      getFormType: () => (id ? 2 : 1),
    },
    getAttribute: (name: string) => attribute(name),
    getControl: (name: string) => controls.get(name) ?? null,
  } as unknown as Xrm.FormContext;

  await read();
  return {
    formContext,
    eventContext,
    registerControl: (name, control) => void controls.set(name, control),
    values: () => values,
  };
}

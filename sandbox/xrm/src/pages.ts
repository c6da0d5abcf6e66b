/**
 * Two page layouts of a model-driven app, built from the pieces (for the sandbox shell and the browser tests):
 * - a grid page: command bar + message bars + a grid of a table's rows (a home grid, or a subgrid under a form);
 * - a form page: command bar + form notifications + the record's fields, its OnLoad handlers run with the execution
 *   context, and its subgrids (each a grid page whose commands see the form as the primary control).
 * Commands come from RibbonDiffXml files; libraries load from /WebResources/.
 */
/// <reference types="xrm" />
import type { GridColumn } from './controls/gridView';
import { renderGrid } from './controls/gridView';
import type { GridControl, GridRecord } from './controls/gridControl';
import type { SandboxForm } from './controls/formContext';
import type { CommandBar, Surface } from './ribbon/commandBar';
import type { RibbonModel } from './ribbon/ribbonModel';
import { el, type DomElement } from './ui/dom';
import type { MountedXrm } from './mount';

export interface GridPageOptions {
  readonly container: DomElement;
  readonly entityName: string;
  readonly surface: Extract<Surface, 'HomepageGrid' | 'SubGrid'>;
  readonly caption: string;
  /** retrieveMultipleRecords options of the rows (e.g. `?$select=…&$filter=…&$orderby=…`). */
  readonly query: string;
  readonly primaryNameAttribute: string;
  readonly columns: readonly { readonly label: string; readonly attribute: string }[];
  readonly ribbons: readonly RibbonModel[];
  /** The form hosting a subgrid. */
  readonly parent?: SandboxForm;
  readonly ruleTimeoutMs?: number;
}

export interface GridPage {
  readonly grid: GridControl;
  readonly commandBar: CommandBar;
}

const shown = (row: Readonly<Record<string, unknown>>, attribute: string): string => {
  const formatted = row[`${attribute}@OData.Community.Display.V1.FormattedValue`];
  const value = formatted ?? row[attribute];
  return value === null || value === undefined ? '' : String(value);
};

export async function openGridPage(mounted: MountedXrm, o: GridPageOptions): Promise<GridPage> {
  const doc = mounted.document;
  const bar = el(doc, 'div');
  const table = el(doc, 'div');
  o.container.append(bar, table);
  const key = mounted.webApi.metadata.primaryKeyOf(o.entityName) ?? `${o.entityName}id`;
  const grid = mounted.createGrid({
    name: `${o.entityName}_${o.surface}`,
    entityName: o.entityName,
    load: async () => {
      const result = await mounted.webApi.retrieveMultipleRecords(o.entityName, o.query);
      return result.entities.map((row: Record<string, unknown>): GridRecord => ({ id: String(row[key]).toLowerCase(), name: shown(row, o.primaryNameAttribute), attributes: row }));
    },
  });
  const columns: GridColumn[] = o.columns.map((c) => ({ label: c.label, value: (r) => shown(r.attributes, c.attribute) }));
  const commandBar = mounted.createCommandBar({
    container: bar,
    ribbons: o.ribbons,
    context: { entityName: o.entityName, surface: o.surface, selectedControl: grid, primaryControl: o.parent?.formContext },
    ruleTimeoutMs: o.ruleTimeoutMs,
  });
  renderGrid(doc, table, grid, columns, o.caption);
  grid.subscribe(() => void commandBar.refresh());
  await grid.refresh();
  await commandBar.settled();
  return { grid, commandBar };
}

export interface FormPageOptions {
  readonly container: DomElement;
  readonly entityName: string;
  readonly id: string;
  readonly primaryNameAttribute: string;
  readonly fields: readonly { readonly label: string; readonly attribute: string; readonly lookup?: boolean }[];
  readonly ribbons: readonly RibbonModel[];
  /** OnLoad handlers: library and function name, called with the execution context. */
  readonly onLoad?: readonly { readonly library: string; readonly functionName: string }[];
  readonly subgrids?: readonly (Omit<GridPageOptions, 'container' | 'surface' | 'ribbons' | 'parent'> & { readonly name: string })[];
  readonly ruleTimeoutMs?: number;
}

export interface FormPage {
  readonly form: SandboxForm;
  readonly commandBar: CommandBar;
  readonly subgrids: ReadonlyMap<string, GridPage>;
}

function resolve(path: string): ((...args: unknown[]) => unknown) | undefined {
  let target: unknown = globalThis;
  for (const part of path.split('.')) target = target && typeof target === 'object' ? (target as Record<string, unknown>)[part] : undefined;
  return typeof target === 'function' ? (target as (...args: unknown[]) => unknown) : undefined;
}

export async function openFormPage(mounted: MountedXrm, o: FormPageOptions): Promise<FormPage> {
  const doc = mounted.document;
  const bar = el(doc, 'div');
  const notifications = el(doc, 'div', { 'data-form-notifications': '' });
  const fields = el(doc, 'dl', { class: 'sx-fields' });
  o.container.append(bar, notifications, fields);
  // The form's ui.refreshRibbon needs the command bar, which needs the form: a holder breaks the cycle.
  const ribbon: { bar?: CommandBar } = {};
  const form = await mounted.createForm({
    entityName: o.entityName,
    id: o.id,
    primaryNameAttribute: o.primaryNameAttribute,
    columns: o.fields.map((f) => f.attribute),
    lookupColumns: o.fields.filter((f) => f.lookup).map((f) => f.attribute),
    notificationContainer: notifications,
    onRibbonRefresh: () => void ribbon.bar?.refresh(),
  });
  const drawFields = (): void => {
    const values = form.values();
    fields.replaceChildren(
      ...o.fields.flatMap((f) => {
        const v = values[f.attribute];
        const text = Array.isArray(v) ? String((v[0] as { name?: string } | undefined)?.name ?? '') : v instanceof Date ? v.toISOString() : v === null || v === undefined ? '' : String(v);
        return [el(doc, 'dt', {}, f.label), el(doc, 'dd', { 'data-field': f.attribute }, text)];
      }),
    );
  };
  drawFields();
  form.formContext.data.addOnLoad(drawFields);
  const commandBar = mounted.createCommandBar({ container: bar, ribbons: o.ribbons, context: { entityName: o.entityName, surface: 'Form', primaryControl: form.formContext }, ruleTimeoutMs: o.ruleTimeoutMs });
  ribbon.bar = commandBar;

  const subgrids = new Map<string, GridPage>();
  for (const s of o.subgrids ?? []) {
    const container = el(doc, 'section', { 'aria-label': s.caption });
    o.container.append(container);
    const page = await openGridPage(mounted, { ...s, container, surface: 'SubGrid', ribbons: o.ribbons, parent: form, ruleTimeoutMs: o.ruleTimeoutMs });
    form.registerControl(s.name, page.grid);
    subgrids.set(s.name, page);
  }
  for (const handler of o.onLoad ?? []) {
    await mounted.loadLibrary(handler.library);
    const fn = resolve(handler.functionName);
    if (!fn) throw new Error(`${handler.functionName} is not defined by ${handler.library}.`);
    await fn(form.eventContext());
  }
  await commandBar.refresh();
  return { form, commandBar, subgrids };
}

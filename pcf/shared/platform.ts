/**
 * Platform facts read from a PCF context that the typings do not declare.
 *
 * - `context.mode.contextInfo` ({ entityId, entityTypeName, entityRecordName }): the record of the form a field
 *   control sits on, set by model-driven apps (the equivalent of formContext.data.entity.getId()/getEntityName()).
 * - The organisation URL for web resources: `context.page.getClientUrl()` in model-driven apps, else the global
 *   `Xrm.Utility.getGlobalContext().getClientUrl()`, else the page's origin (web resources are served from it).
 */
export interface RecordContext {
  readonly entityName: string;
  readonly entityId: string | null;
  readonly recordName: string | null;
}

interface ContextInfo {
  entityId?: unknown;
  entityTypeName?: unknown;
  entityRecordName?: unknown;
}

export function recordContextOf(context: ComponentFramework.Context<unknown>): RecordContext | null {
  const info = (context.mode as unknown as { contextInfo?: ContextInfo }).contextInfo;
  const page = (context as unknown as { page?: { entityTypeName?: unknown; entityId?: unknown } }).page;
  const entityName = typeof info?.entityTypeName === 'string' ? info.entityTypeName : typeof page?.entityTypeName === 'string' ? page.entityTypeName : '';
  if (!entityName) return null;
  const rawId = typeof info?.entityId === 'string' ? info.entityId : typeof page?.entityId === 'string' ? page.entityId : '';
  const id = rawId.replace(/[{}]/g, '').toLowerCase();
  return { entityName, entityId: id || null, recordName: typeof info?.entityRecordName === 'string' ? info.entityRecordName : null };
}

interface XrmLike {
  Utility?: { getGlobalContext?: () => { getClientUrl?: () => string } };
}

export function clientUrlOf(context: ComponentFramework.Context<unknown>, win: Window = window): string {
  const page = (context as unknown as { page?: { getClientUrl?: () => string } }).page;
  const fromPage = page?.getClientUrl?.();
  if (fromPage) return fromPage.replace(/\/$/, '');
  const xrm = (win as unknown as { Xrm?: XrmLike }).Xrm;
  const fromXrm = xrm?.Utility?.getGlobalContext?.().getClientUrl?.();
  if (fromXrm) return fromXrm.replace(/\/$/, '');
  return win.location.origin;
}

/** `mode.allocatedWidth/Height` are numbers in apps and strings in the test harness; -1 means "no limit". */
export function allocatedSize(mode: ComponentFramework.Mode): { width: number | null; height: number | null } {
  const n = (v: unknown): number | null => {
    const x = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : NaN;
    return Number.isFinite(x) && x > 0 ? x : null;
  };
  return { width: n(mode.allocatedWidth), height: n(mode.allocatedHeight) };
}

/**
 * Small helpers for reading related rows through `context.webAPI` in few requests (platform facts: DESIGN §2,
 * reference/dataverse-facts.md §5.5):
 * - several ids in one `$filter` with `Microsoft.Dynamics.CRM.In(PropertyName='…',PropertyValues=[…])`, chunked so the
 *   request URL stays well under the Web API's URL length limit;
 * - `$select` only the columns a control shows;
 * - paging by `@odata.nextLink`: `retrieveMultipleRecords` takes the query part of the next link as its options
 *   (never edit it: "Don't change or append any additional system query options to the nextLink URL").
 */

/** What the controls need from `context.webAPI` (a port, so tests can hand in a fake). */
export type WebApiReader = Pick<ComponentFramework.WebApi, 'retrieveMultipleRecords' | 'retrieveRecord'>;

export type Row = Record<string, unknown>;

/** GUIDs per `In(...)`: 150 quoted GUIDs are about 6.5 KB of URL once encoded. */
export const IDS_PER_REQUEST = 150;

/** Largest page the Web API serves ("You can't request a page size larger than 5000"). */
export const MAX_PAGE_SIZE = 5000;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Lower-case GUID without braces, or null when the value is not one (never interpolate anything else into a filter). */
export function normaliseGuid(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const s = value.replace(/[{}]/g, '').toLowerCase();
  return GUID.test(s) ? s : null;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `Microsoft.Dynamics.CRM.In(PropertyName='p',PropertyValues=['a','b'])` over distinct, valid GUIDs. */
export function inFilter(propertyName: string, ids: readonly string[]): string {
  const values = [...new Set(ids.map(normaliseGuid).filter((g): g is string => g !== null))];
  if (values.length === 0) throw new Error(`inFilter(${propertyName}): no valid ids`);
  return `Microsoft.Dynamics.CRM.In(PropertyName='${propertyName}',PropertyValues=[${values.map((v) => `'${v}'`).join(',')}])`;
}

export interface QueryParts {
  readonly select: readonly string[];
  readonly filter?: string;
  readonly orderBy?: string;
  readonly expand?: string;
  readonly top?: number;
}

/** The options string for `retrieveMultipleRecords` / `retrieveRecord` (leading `?`). */
export function queryOptions(q: QueryParts): string {
  const parts = [`$select=${q.select.join(',')}`];
  if (q.expand) parts.push(`$expand=${q.expand}`);
  if (q.filter) parts.push(`$filter=${q.filter}`);
  if (q.orderBy) parts.push(`$orderby=${q.orderBy}`);
  if (q.top !== undefined) parts.push(`$top=${q.top}`);
  return `?${parts.join('&')}`;
}

/** Every row of a query, page by page (sequentially: each page needs the previous page's link). */
export async function retrieveAll(webApi: WebApiReader, entityLogicalName: string, options: string, pageSize = MAX_PAGE_SIZE, maxRows = 100_000): Promise<Row[]> {
  const rows: Row[] = [];
  let next: string | undefined = options;
  while (next !== undefined) {
    const page: ComponentFramework.WebApi.RetrieveMultipleResponse = await webApi.retrieveMultipleRecords(entityLogicalName, next, pageSize);
    rows.push(...(page.entities as Row[]));
    if (rows.length >= maxRows) break;
    next = page.nextLink ? nextLinkOptions(page.nextLink) : undefined;
  }
  return rows;
}

/** The query part of an `@odata.nextLink`, as the options of the next `retrieveMultipleRecords` call. */
export function nextLinkOptions(nextLink: string): string {
  const q = nextLink.indexOf('?');
  return q < 0 ? '' : nextLink.slice(q);
}

// ---- reading rows -------------------------------------------------------------------------------------------------

export const FORMATTED = 'OData.Community.Display.V1.FormattedValue';

/** The platform's formatted value of a column (user's locale, time zone and precision), when the row carries it. */
export function formattedOf(row: Row, property: string): string | undefined {
  const v = row[`${property}@${FORMATTED}`];
  return typeof v === 'string' ? v : undefined;
}

export function numberOf(row: Row, property: string): number | null {
  const v = row[property];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function stringOf(row: Row, property: string): string | null {
  const v = row[property];
  return typeof v === 'string' && v !== '' ? v : null;
}

export function idOf(row: Row, property: string): string | null {
  return normaliseGuid(row[property]);
}

/**
 * Retrieve and RetrieveMultiple: `$select`, `$filter`, `$orderby`, `$top`, `$count`, `$expand` and server-driven
 * paging with `Prefer: odata.maxpagesize` (≤ 5,000) and `@odata.nextLink` carrying a `$skiptoken` paging cookie
 * (page-results: "Don't change or append any additional system query options to the @odata.nextLink URL").
 */
import type { TableDef } from '@pfb/domain';
import { errors } from '../../protocol/errors';
import { compileFilter } from '../../query/filter';
import { compileOrderBy } from '../../query/orderby';
import { parseQueryOptions, type QueryOptions } from '../../query/queryOptions';
import type { ExpandPlan } from '../../query/expand';
import type { SelectPlan } from '../../query/select';
import { quoteIdent } from '../../store/sql';
import type { Attributes } from '../../store/types';
import { serializeRow } from '../entityJson';
import { json, JSON_STREAMING_CONTENT_TYPE, preferenceApplied } from '../response';
import type { ApiResponse } from '../types';
import type { HandlerContext } from './handlerContext';

export const MAX_PAGE_SIZE = 5000;
/** $count stops at 5,000 (totalrecordcountlimitexceeded). */
export const COUNT_LIMIT = 5000;

/**
 * The columns to serialize. A selected money column brings the row's currency lookup with it, though
 * `@odata.context` lists only what was selected (select-columns.md: "_transactioncurrencyid_value … is included
 * because revenue is a currency property").
 */
function selectedColumns(t: TableDef, select: SelectPlan): string[] | undefined {
  if (select.all) return undefined;
  const currency = 'transactioncurrencyid';
  const withMoney = select.columns.some((c) => t.columns[c]?.type === 'money');
  return withMoney && t.columns[currency] && !select.columns.includes(currency) ? [...select.columns, currency] : select.columns;
}

function contextUrl(h: HandlerContext, t: TableDef, select: SelectPlan, entity: boolean): string {
  const cols = select.all ? '' : `(${select.columns.map((c) => (isLookupColumn(t, c) ? `_${c}_value` : c)).join(',')})`;
  return `${h.serviceRoot}$metadata#${t.entitySetName}${cols}${entity ? '/$entity' : ''}`;
}

function isLookupColumn(t: TableDef, c: string): boolean {
  const type = t.columns[c]?.type;
  return type === 'lookup' || type === 'owner' || type === 'customer';
}

/** Serializes a row and its expansions. */
export function renderRow(h: HandlerContext, t: TableDef, row: Attributes, select: SelectPlan, expand: readonly ExpandPlan[]): Record<string, unknown> {
  const out = serializeRow(t, row, { prefs: h.prefs, columns: selectedColumns(t, select) }, h.store);
  for (const e of expand) {
    const r = e.relationship;
    if (!e.collection) {
      const ref = row[r.referencingAttribute];
      const target = ref && typeof ref === 'object' ? h.store.get(e.targetTable.logicalName, ref.id) : undefined;
      out[e.navigationProperty] = target ? renderRow(h, e.targetTable, target, e.select, e.expand) : null;
      continue;
    }
    let where = `t0.${quoteIdent(r.referencingAttribute)} = ?`;
    const params: (string | number | null)[] = [row[t.primaryIdAttribute] as string];
    if (e.filter) {
      const f = compileFilter(e.filter, e.targetTable, h.schema, 't0');
      where += ` AND (${f.sql})`;
      params.push(...f.params);
    }
    const order = e.orderby ? compileOrderBy(e.orderby, e.targetTable, 't0', h.schema).sql : '';
    const tail = `ORDER BY ${order ? `${order}, ` : ''}t0.${quoteIdent(e.targetTable.primaryIdAttribute)}${e.top ? ` LIMIT ${e.top}` : ''}`;
    const children = h.store.select(e.targetTable.logicalName, where, params, tail);
    out[e.navigationProperty] = children.map((c) => renderRow(h, e.targetTable, c, e.select, e.expand));
  }
  return out;
}

export function retrieve(h: HandlerContext, t: TableDef, id: string): ApiResponse {
  const options = parseQueryOptions(h.query, t, h.schema);
  const row = h.store.get(t.logicalName, id);
  if (!row) throw errors.notFound(t.logicalName, id);
  const etag = `W/"${String(row['versionnumber'] ?? 0)}"`;
  // Conditional retrieval: If-None-Match with the current etag → 304 (perform-conditional-operations).
  const ifNoneMatch = h.request.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch !== 'null' && ifNoneMatch === etag) {
    return { status: 304, headers: { 'OData-Version': '4.0', ETag: etag } };
  }
  const body = { '@odata.context': contextUrl(h, t, options.select, true), ...renderRow(h, t, row, options.select, options.expand) };
  return json(200, body, { 'Content-Type': JSON_STREAMING_CONTENT_TYPE, ETag: etag, ...preferenceApplied(h.prefs) });
}

/** Where the previous page ended: its number and the ordering keys of its last row (keyset paging). */
interface PagingCookie {
  page: number;
  last?: (string | number | null)[];
}

const xmlEscape = (v: string): string => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const xmlUnescape = (v: string): string => v.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/** One ordering key of a page: its cookie element name, SQL expression, direction and how to read it back. */
interface PageKey {
  name: string;
  expr: string;
  desc: boolean;
  numeric: boolean;
  guid: boolean;
}

function parseSkipToken(token: string | undefined, keys: readonly PageKey[]): PagingCookie {
  if (!token) return { page: 1 };
  const m = /pagenumber="(\d+)"/.exec(token);
  const inner = /pagingcookie="([^"]*)"/.exec(token);
  const bad = (): never => {
    throw errors.badRequest(`The $skiptoken '${token.slice(0, 80)}' is not a paging cookie this service issued for this query; follow @odata.nextLink as given.`, '0x80060888');
  };
  if (!m || !inner) return bad();
  let cookie: string;
  try {
    cookie = decodeURIComponent(decodeURIComponent(inner[1] as string));
  } catch {
    return bad();
  }
  const last: (string | number | null)[] = [];
  let from = 0;
  for (const k of keys) {
    const el = new RegExp(`<${k.name}( last="([^"]*)")? first="[^"]*" />`, 'g');
    el.lastIndex = from;
    const found = el.exec(cookie);
    if (!found) return bad();
    from = el.lastIndex;
    const raw = found[1] === undefined ? null : xmlUnescape(found[2] as string);
    last.push(raw === null ? null : k.guid ? raw.replace(/[{}]/g, '').toLowerCase() : k.numeric ? Number(raw) : raw);
  }
  return { page: Number(m[1]), last };
}

const lowerHex = (s: string): string => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()).replace(/=/g, '%3d');

/**
 * Builds a `$skiptoken` in Dataverse's cookie form: the page number and a paging cookie holding the ordering keys
 * of the page's last (and first) row, so the next page starts after that row even when rows were added or removed
 * in between. The inner cookie is percent-encoded once in lower-case hex, then the whole cookie once more with
 * `=` and `/` left as they are (query-paging-page1.response.http).
 */
function skipToken(nextPage: number, keys: readonly PageKey[], first: readonly unknown[], last: readonly unknown[]): string {
  const value = (k: PageKey, v: unknown): string => (k.guid ? `{${String(v).toUpperCase()}}` : xmlEscape(String(v)));
  const elements = keys
    .map((k, i) => {
      const l = last[i] ?? null;
      const f = first[i] ?? null;
      return `<${k.name}${l === null ? '' : ` last="${value(k, l)}"`} first="${f === null ? '' : value(k, f)}" />`;
    })
    .join('');
  const inner = `<cookie page="${nextPage - 1}">${elements}</cookie>`;
  const cookie = `<cookie pagenumber="${nextPage}" pagingcookie="${lowerHex(inner)}" istracking="False" />`;
  return encodeURIComponent(cookie).replace(/%3D/g, '=').replace(/%2F/g, '/');
}

/**
 * The condition "comes after the row with these keys" for an ORDER BY of `keys` (SQLite puts NULLs first when
 * ascending, last when descending). The last key is the primary key, unique and never null, so pages never overlap.
 */
function afterKeys(keys: readonly PageKey[], last: readonly (string | number | null)[]): { sql: string; params: (string | number | null)[] } {
  const ors: string[] = [];
  const params: (string | number | null)[] = [];
  keys.forEach((k, i) => {
    const ands: string[] = [];
    const p: (string | number | null)[] = [];
    for (let j = 0; j < i; j += 1) {
      ands.push(`(${(keys[j] as { expr: string }).expr}) IS ?`);
      p.push(last[j] ?? null);
    }
    const v = last[i] ?? null;
    if (!k.desc) {
      ands.push(v === null ? `(${k.expr}) IS NOT NULL` : `(${k.expr}) > ?`);
      if (v !== null) p.push(v);
    } else {
      if (v === null) return; // nothing sorts after NULL when descending, but equal NULLs (handled by later keys)
      ands.push(`((${k.expr}) < ? OR (${k.expr}) IS NULL)`);
      p.push(v);
    }
    ors.push(`(${ands.join(' AND ')})`);
    params.push(...p);
  });
  return { sql: ors.length ? ors.join(' OR ') : '0', params };
}

export function retrieveMultiple(h: HandlerContext, t: TableDef, scope?: { column: string; id: string }): ApiResponse {
  const options: QueryOptions = parseQueryOptions(h.query, t, h.schema);
  const pageSizePref = h.prefs.maxPageSize;
  if (pageSizePref !== undefined && pageSizePref > MAX_PAGE_SIZE) {
    throw errors.badRequest(`The 'odata.maxpagesize' preference value ${pageSizePref} is greater than the maximum allowed page size of ${MAX_PAGE_SIZE}.`, '0x80060888');
  }
  let where = '';
  const params: (string | number | null)[] = [];
  if (scope) {
    where = `t0.${quoteIdent(scope.column)} = ?`;
    params.push(scope.id);
  }
  if (options.filter) {
    const f = compileFilter(options.filter, t, h.schema, 't0');
    where = where ? `${where} AND (${f.sql})` : f.sql;
    params.push(...f.params);
  }
  const ordering = options.orderby ? compileOrderBy(options.orderby, t, 't0', h.schema).columns : [];
  const numericTypes = ['integer', 'bigint', 'decimal', 'double', 'money', 'boolean', 'picklist', 'state', 'status'];
  const keys: PageKey[] = [
    ...ordering.map((c) => {
      const type = t.columns[c.column]?.type;
      return { name: c.column, expr: c.expr, desc: c.desc, numeric: numericTypes.includes(type ?? ''), guid: type === 'uniqueidentifier' };
    }),
    { name: t.primaryIdAttribute, expr: `t0.${quoteIdent(t.primaryIdAttribute)}`, desc: false, numeric: false, guid: true },
  ];
  const orderSql = `ORDER BY ${keys.map((k) => `${k.expr} ${k.desc ? 'DESC' : 'ASC'}`).join(', ')}`;

  // $top and paging: with odata.maxpagesize, $top is ignored (query-data-web-api).
  const paged = pageSizePref !== undefined || options.top === undefined;
  const pageSize = pageSizePref ?? MAX_PAGE_SIZE;
  const cookie = parseSkipToken(options.skiptoken, keys);
  let pageWhere = where;
  const pageParams = [...params];
  if (cookie.last) {
    const after = afterKeys(keys, cookie.last);
    pageWhere = pageWhere ? `${pageWhere} AND (${after.sql})` : after.sql;
    pageParams.push(...after.params);
  }
  const limit = paged ? pageSize + 1 : (options.top as number);
  const keyed = h.store.selectKeyed(t.logicalName, keys.map((k) => k.expr), pageWhere, pageParams, `${orderSql} LIMIT ${limit}`);
  const hasMore = paged && keyed.length > pageSize;
  const pageKeyed = hasMore ? keyed.slice(0, pageSize) : keyed;
  const pageRows = pageKeyed.map((k) => k.row);

  const body: Record<string, unknown> = { '@odata.context': contextUrl(h, t, options.select, false) };
  if (options.count) {
    const total = h.store.count(t.logicalName, where, params);
    body['@odata.count'] = Math.min(total, COUNT_LIMIT);
    if (total > COUNT_LIMIT) body['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded'] = true;
  }
  body['value'] = pageRows.map((r) => renderRow(h, t, r, options.select, options.expand));
  if (hasMore) {
    const query = new URLSearchParams(h.query);
    query.delete('$skiptoken');
    const base = `${h.serviceRoot}${h.request.url.split('?')[0]}`;
    const rest = [...query.entries()].map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%2C/g, ',').replace(/%24/g, '$')}`).join('&');
    const token = skipToken(cookie.page + 1, keys, pageKeyed[0]?.keys ?? [], pageKeyed[pageKeyed.length - 1]?.keys ?? []);
    body['@odata.nextLink'] = `${base}?${rest ? `${rest}&` : ''}$skiptoken=${token}`;
  }
  const applied = pageSizePref !== undefined ? [`odata.maxpagesize=${pageSizePref}`] : [];
  return json(200, body, { 'Content-Type': JSON_STREAMING_CONTENT_TYPE, ...preferenceApplied(h.prefs, applied) });
}

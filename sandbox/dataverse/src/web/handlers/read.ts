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

interface PagingCookie {
  page: number;
}

function parseSkipToken(token: string | undefined): PagingCookie {
  if (!token) return { page: 1 };
  const m = /pagenumber="(\d+)"/.exec(token);
  if (!m) throw errors.badRequest(`The $skiptoken '${token.slice(0, 80)}' is not a paging cookie this service issued.`, '0x80060888');
  return { page: Number(m[1]) };
}

const lowerHex = (s: string): string => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()).replace(/=/g, '%3d');

/**
 * Builds a `$skiptoken` in Dataverse's cookie form (pagenumber plus the first/last primary keys of the page): the
 * inner paging cookie is percent-encoded once in lower-case hex, then the whole cookie once more with `=` and `/`
 * left as they are (query-paging-page1.response.http).
 */
function skipToken(t: TableDef, nextPage: number, first: string, last: string): string {
  const inner = `<cookie page="${nextPage - 1}"><${t.primaryIdAttribute} last="{${last.toUpperCase()}}" first="{${first.toUpperCase()}}" /></cookie>`;
  const cookie = `<cookie pagenumber="${nextPage}" pagingcookie="${lowerHex(inner)}" istracking="False" />`;
  return encodeURIComponent(cookie).replace(/%3D/g, '=').replace(/%2F/g, '/');
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
  const order = options.orderby ? compileOrderBy(options.orderby, t, 't0', h.schema).sql : '';
  const orderSql = `ORDER BY ${order ? `${order}, ` : ''}t0.${quoteIdent(t.primaryIdAttribute)}`;

  // $top and paging: with odata.maxpagesize, $top is ignored (query-data-web-api).
  const paged = pageSizePref !== undefined || options.top === undefined;
  const pageSize = pageSizePref ?? MAX_PAGE_SIZE;
  const { page } = parseSkipToken(options.skiptoken);
  const limit = paged ? pageSize + 1 : (options.top as number);
  const offset = paged ? (page - 1) * pageSize : 0;
  const rows = h.store.select(t.logicalName, where, params, `${orderSql} LIMIT ${limit} OFFSET ${offset}`);
  const hasMore = paged && rows.length > pageSize;
  const pageRows = hasMore ? rows.slice(0, pageSize) : rows;

  const body: Record<string, unknown> = { '@odata.context': contextUrl(h, t, options.select, false) };
  if (options.count) {
    const total = h.store.count(t.logicalName, where, params);
    body['@odata.count'] = Math.min(total, COUNT_LIMIT);
    if (total > COUNT_LIMIT) body['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded'] = true;
  }
  body['value'] = pageRows.map((r) => renderRow(h, t, r, options.select, options.expand));
  if (hasMore) {
    const first = pageRows[0]?.[t.primaryIdAttribute] as string;
    const last = pageRows[pageRows.length - 1]?.[t.primaryIdAttribute] as string;
    const query = new URLSearchParams(h.query);
    query.delete('$skiptoken');
    const base = `${h.serviceRoot}${h.request.url.split('?')[0]}`;
    const rest = [...query.entries()].map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%2C/g, ',').replace(/%24/g, '$')}`).join('&');
    body['@odata.nextLink'] = `${base}?${rest ? `${rest}&` : ''}$skiptoken=${skipToken(t, page + 1, first, last)}`;
  }
  const applied = pageSizePref !== undefined ? [`odata.maxpagesize=${pageSizePref}`] : [];
  return json(200, body, { 'Content-Type': JSON_STREAMING_CONTENT_TYPE, ...preferenceApplied(h.prefs, applied) });
}

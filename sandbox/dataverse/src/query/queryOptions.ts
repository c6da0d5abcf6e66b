/**
 * The system query options of a GET on an entity set or entity, validated up front so a bad query fails before
 * anything runs. Dataverse refuses `$skip` (page with `$skiptoken` instead); `$apply` (aggregation) is real
 * Dataverse but not in the sandbox. Parameter aliases (`$filter=name eq @p1&@p1='x'`, filter-rows.md) are
 * substituted into `$filter`, `$orderby` and `$expand`.
 */
import type { SchemaModel, TableDef } from '@pfb/domain';
import { errors } from '../protocol/errors';
import { parseExpand, parseTop, type ExpandPlan } from './expand';
import { compileFilter } from './filter';
import { compileOrderBy } from './orderby';
import { parseSelect, type SelectPlan } from './select';

export interface QueryOptions {
  select: SelectPlan;
  /** `$filter` text with parameter aliases substituted; compile with compileFilter. */
  filter?: string;
  orderby?: string;
  top?: number;
  count: boolean;
  expand: ExpandPlan[];
  skiptoken?: string;
}

const SUPPORTED = new Set(['$select', '$filter', '$orderby', '$top', '$count', '$expand', '$skiptoken']);

export function parseQueryOptions(search: URLSearchParams, table: TableDef, schema: SchemaModel): QueryOptions {
  const options = new Map<string, string>();
  const aliases = new Map<string, string>();
  for (const [key, value] of search) {
    if (key.startsWith('@')) {
      aliases.set(key, value);
      continue;
    }
    if (!key.startsWith('$')) continue; // custom query options are ignored, as OData allows
    const name = key.toLowerCase();
    if (name === '$skip') throw errors.skipNotSupported();
    if (name === '$apply') {
      throw errors.badRequest('The query option $apply (aggregation) is not supported by the local Dataverse. Aggregate in the client, or use FetchXML against a real environment.');
    }
    if (!SUPPORTED.has(name)) throw errors.badRequest(`The query parameter '${key}' is not supported.`);
    if (options.has(name)) throw errors.badRequest(`Query option '${name}' was specified more than once, but it must be specified at most once.`);
    options.set(name, value);
  }

  const result: QueryOptions = { select: parseSelect(options.get('$select'), table), count: false, expand: [] };
  const filter = options.get('$filter');
  if (filter !== undefined) {
    result.filter = substituteAliases(filter, aliases);
    compileFilter(result.filter, table, schema);
  }
  const orderby = options.get('$orderby');
  if (orderby !== undefined && orderby.trim() !== '') {
    result.orderby = substituteAliases(orderby, aliases);
    compileOrderBy(result.orderby, table, undefined, schema);
  }
  const top = options.get('$top');
  if (top !== undefined) result.top = parseTop(top.trim());
  const count = options.get('$count');
  if (count !== undefined) {
    if (!/^(true|false)$/i.test(count.trim())) throw errors.badRequest(`'${count}' is not a valid count option.`);
    result.count = count.trim().toLowerCase() === 'true';
  }
  const expand = options.get('$expand');
  if (expand !== undefined) result.expand = parseExpand(substituteAliases(expand, aliases), table, schema);
  const skiptoken = options.get('$skiptoken');
  if (skiptoken !== undefined) result.skiptoken = skiptoken;
  return result;
}

/**
 * Replaces `@alias` references outside string literals with the alias's value; an alias without a value is null
 * (OData: "If a parameter alias is not given a value, it is assumed to be null").
 */
export function substituteAliases(text: string, aliases: ReadonlyMap<string, string>): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < text.length) {
        if (c === '"' && text[j] === '\\') j += 2;
        else if (text[j] === c && c === "'" && text[j + 1] === "'") j += 2;
        else if (text[j] === c) break;
        else j++;
      }
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const alias = c === '@' && !/[A-Za-z0-9_.]/.test(text[i - 1] ?? ' ') ? /^@[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i)) : null;
    if (alias) {
      out += aliases.get(alias[0]) ?? 'null';
      i += alias[0].length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/**
 * `$expand` → a plan the server executes. Rules from join-tables.md:
 * - a single-valued navigation property is a lookup on this table, a collection-valued one a lookup on another
 *   table that points here;
 * - inside `$expand` only `$select`, `$filter`, `$orderby`, `$top` and `$expand` are allowed ("The options $skip,
 *   $count, $search, and $levels aren't supported");
 * - `$orderby`/`$top` only on a collection-valued property, and not when the query nests an `$expand` anywhere;
 * - at most 15 `$expand` options in a query.
 * Nested `$filter`/`$orderby` are validated here and kept as text for the executor to compile against the target.
 */
import { defaultParser } from '@odata/parser';
import type { RelationshipDef, SchemaModel, TableDef } from '@pfb/domain';
import { errors } from '../protocol/errors';
import { compileFilter, field, findColumn, findNavigation, isTok, maskQueryText, originalSlice, parseWith, type MaskedText, type Tok } from './filter';
import { compileOrderBy } from './orderby';
import { parseSelect, type SelectPlan } from './select';

export interface ExpandPlan {
  navigationProperty: string;
  relationship: RelationshipDef;
  /** True for a collection-valued navigation property (this table is the parent). */
  collection: boolean;
  targetTable: TableDef;
  select: SelectPlan;
  filter?: string;
  orderby?: string;
  top?: number;
  expand: ExpandPlan[];
}

export const MAX_EXPAND_OPTIONS = 15;
const PREFIX = '$expand=';

/** Dataverse's answer to `$top`/`$orderby` where they aren't allowed (join-tables.md). */
const ONLY_SELECT_AND_FILTER =
  'Only $select and $filter clause can be provided while doing $expand on many-to-one relationship or nested one-to-many relationship.';

interface Context {
  readonly m: MaskedText;
  readonly schema: SchemaModel;
  readonly nested: boolean;
  count: number;
}

export function parseExpand(expand: string, table: TableDef, schema: SchemaModel): ExpandPlan[] {
  if (expand.trim() === '') return [];
  const m = maskQueryText(expand, { compactSeparators: true });
  const ast = parseWith((text) => defaultParser.query(`${PREFIX}${text}`), m, PREFIX.length);
  const option = (field(ast.value, 'options') as unknown[] | undefined)?.[0];
  const items = expandItems(isTok(option) ? option : undefined, expand);
  const nested = items.some((item) => optionsOf(item).some((o) => o.type === 'Expand'));
  const ctx: Context = { m, schema, nested, count: 0 };
  return items.map((item) => plan(item, table, 0, ctx));
}

function expandItems(expandOption: Tok | undefined, original: string): Tok[] {
  const items = field(expandOption?.value, 'items');
  if (!Array.isArray(items)) throw errors.badRequest(`Syntax error at position 0 in '${original}'.`);
  return items.filter(isTok);
}

function optionsOf(item: Tok): Tok[] {
  const options = field(item.value, 'options');
  return Array.isArray(options) ? options.filter(isTok) : [];
}

/** The original text of a token of the parsed `$expand=…` string. */
function textOf(ctx: Context, t: Tok): string {
  return originalSlice(ctx.m, t.position - PREFIX.length, t.next - PREFIX.length);
}

/** The value of `$name=value` as originally written. */
function optionValue(ctx: Context, t: Tok): string {
  const text = textOf(ctx, t);
  return text.slice(text.indexOf('=') + 1);
}

function plan(item: Tok, table: TableDef, depth: number, ctx: Context): ExpandPlan {
  ctx.count++;
  if (ctx.count > MAX_EXPAND_OPTIONS) {
    throw errors.badRequest(`Number of link entities in query exceeded maximum limit. A query can include up to ${MAX_EXPAND_OPTIONS} $expand options.`, '0x8004430d');
  }
  const path = field(item.value, 'path');
  const name = isTok(path) ? textOf(ctx, path) : String(path);
  if (name === '*' || name.includes('/')) {
    throw errors.badRequest(`$expand=${name} is not supported by the local Dataverse: name one navigation property and choose its columns with $select.`);
  }
  const nav = findNavigation(ctx.schema, table, name);
  if (!nav) {
    if (findColumn(table, name)) {
      throw errors.badRequest(
        `Property '${name}' on type 'Microsoft.Dynamics.CRM.${table.logicalName}' is not a navigation property or complex property. Only navigation properties can be expanded.`,
      );
    }
    throw errors.propertyNotFound(name, table.logicalName);
  }
  const collection = nav.kind === 'collection';
  const targetTable = nav.kind === 'collection' ? nav.child : nav.target;
  const result: ExpandPlan = {
    navigationProperty: name,
    relationship: nav.rel,
    collection,
    targetTable,
    select: parseSelect(undefined, targetTable),
    expand: [],
  };

  const seen = new Set<string>();
  for (const option of optionsOf(item)) {
    const key = textOf(ctx, option).split('=')[0]?.trim().toLowerCase() ?? '';
    if (seen.has(key)) throw errors.badRequest(`Query option '${key}' was specified more than once, but it must be specified at most once.`);
    seen.add(key);
    switch (option.type) {
      case 'Select':
        result.select = parseSelect(optionValue(ctx, option), targetTable);
        break;
      case 'Filter': {
        const filter = optionValue(ctx, option);
        compileFilter(filter, targetTable, ctx.schema);
        result.filter = filter;
        break;
      }
      case 'OrderBy': {
        if (!collection || depth > 0 || ctx.nested) throw errors.badRequest(ONLY_SELECT_AND_FILTER);
        const orderby = optionValue(ctx, option);
        compileOrderBy(orderby, targetTable, undefined, ctx.schema);
        result.orderby = orderby;
        break;
      }
      case 'Top': {
        if (!collection || depth > 0 || ctx.nested) throw errors.badRequest(ONLY_SELECT_AND_FILTER);
        result.top = parseTop(optionValue(ctx, option));
        break;
      }
      case 'Expand':
        result.expand = expandItems(option, textOf(ctx, option)).map((child) => plan(child, targetTable, depth + 1, ctx));
        break;
      case 'Skip':
        throw errors.skipNotSupported();
      default:
        throw errors.badRequest(
          `The query option '${key}' is not supported in $expand; Dataverse supports $select, $filter, $orderby, $top and $expand there.`,
        );
    }
  }
  return result;
}

/** `$top`: a positive whole number (ODL's wording for anything else). */
export function parseTop(value: string): number {
  const n = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 2147483647)) {
    throw errors.badRequest(`Invalid value '${value}' for $top query option found. The $top query option requires a positive integer value.`);
  }
  return n;
}

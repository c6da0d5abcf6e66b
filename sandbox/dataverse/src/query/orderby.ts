/**
 * `$orderby` → SQL ordering terms (without `ORDER BY`; the caller appends the primary key so ties break the same
 * way on every page). Per order-rows.md: choice columns order by their integer value, lookup columns by the
 * primary name of the related row, and text is compared case-insensitively (Dataverse's SQL collation).
 */
import { defaultParser } from '@odata/parser';
import type { ColumnDef, SchemaModel, TableDef } from '@pfb/domain';
import { errors } from '../protocol/errors';
import { isLookup, quoteIdent, targetColumn } from '../store/sql';
import { field, findColumn, isTok, maskQueryText, memberPath, originalSlice, parseWith, schemaLiteral, type Tok } from './filter';

export interface OrderByColumn {
  /** Logical name of the column (a lookup's column for `_x_value`). */
  column: string;
  desc: boolean;
  /** The SQL expression ordered by, e.g. `"t0"."name" COLLATE NOCASE`: a paging cookie compares with the same. */
  expr: string;
}

export interface CompiledOrderBy {
  /** Comma-separated ordering terms, e.g. `"t0"."name" COLLATE NOCASE ASC`; '' when there are none. */
  sql: string;
  columns: OrderByColumn[];
}

const PREFIX = '$orderby=';
const q = quoteIdent;

/**
 * Compiles `$orderby` for `table` as SQL alias `alias` (default the table name). With `schema`, lookups order by
 * the related row's primary name as Dataverse does; without it (or for a target the sandbox doesn't model) by id.
 */
export function compileOrderBy(orderby: string, table: TableDef, alias?: string, schema?: SchemaModel): CompiledOrderBy {
  if (orderby.trim() === '') return { sql: '', columns: [] };
  const a = alias ?? table.logicalName;
  const m = maskQueryText(orderby, { compactSeparators: true });
  const ast = parseWith((text) => defaultParser.query(`${PREFIX}${text}`), m, PREFIX.length);
  const option = (field(ast.value, 'options') as unknown[] | undefined)?.[0];
  const items = field(isTok(option) ? option.value : undefined, 'items');
  if (!Array.isArray(items)) throw errors.badRequest(`Syntax error at position 0 in '${orderby}'.`);

  let subqueries = 0;
  const columns: OrderByColumn[] = [];
  for (const item of items) {
    if (!isTok(item)) continue;
    const text = originalSlice(m, item.position - PREFIX.length, item.next - PREFIX.length);
    const expr = unwrap(field(item.value, 'expr'));
    if (!expr || expr.type !== 'FirstMemberExpression') {
      throw errors.badRequest(`Only properties can be used in $orderby: '${text}'.`);
    }
    const path = memberPath(expr);
    const name = path.segments[0] ?? '';
    if (path.variable !== undefined || path.lambda || path.count || path.segments.length !== 1) {
      throw errors.badRequest(`$orderby supports properties of ${table.logicalName} only, not navigation paths: '${text}'.`);
    }
    const column = findColumn(table, name);
    if (!column) throw errors.propertyNotFound(name, table.logicalName);
    const desc = field(item.value, 'direction') === -1;
    columns.push({ column: column.logicalName, desc, expr: orderExpression(column, a, schema, () => `__o${++subqueries}`) });
  }
  return { sql: columns.map((c) => `${c.expr} ${c.desc ? 'DESC' : 'ASC'}`).join(', '), columns };
}

function unwrap(v: unknown): Tok | undefined {
  let t = isTok(v) ? v : undefined;
  while (t && t.type === 'CommonExpression' && isTok(t.value)) t = t.value;
  return t;
}

function orderExpression(column: ColumnDef, alias: string, schema: SchemaModel | undefined, nextAlias: () => string): string {
  const x = `${q(alias)}.${q(column.logicalName)}`;
  if (column.type === 'string' || column.type === 'memo') return `${x} COLLATE NOCASE`;
  if (!isLookup(column) || !schema) return x;
  const targets = (column.targets ?? []).flatMap((name) => schema.table(name) ?? []);
  const nameOf = (t: TableDef): string => {
    const o = nextAlias();
    return `(SELECT ${q(o)}.${q(t.primaryNameAttribute)} FROM ${q(t.logicalName)} AS ${q(o)} WHERE ${q(o)}.${q(t.primaryIdAttribute)} = ${x})`;
  };
  const [only] = targets;
  if (!only) return x;
  if (targets.length === 1 && (column.targets?.length ?? 0) === 1) return `${nameOf(only)} COLLATE NOCASE`;
  const cases = targets.map((t) => `WHEN ${schemaLiteral(t.logicalName)} THEN ${nameOf(t)}`).join(' ');
  return `(CASE ${q(alias)}.${q(targetColumn(column.logicalName))} ${cases} END) COLLATE NOCASE`;
}

/**
 * `$select` → the columns to return. Property names are the Web API's: `_x_value` for a lookup x, the logical
 * name otherwise (query-select-columns.response.http); like Dataverse, names are case-sensitive.
 *
 * `columns` holds what was asked for, in request order. The primary key is not added: Dataverse lists only the
 * selected properties in `@odata.context` (`accounts(name,revenue)`) and returns the key anyway, which the
 * serializer does for every row.
 */
import { defaultParser } from '@odata/parser';
import type { TableDef } from '@pfb/domain';
import { errors } from '../protocol/errors';
import { field, isTok, maskQueryText, originalSlice, parseWith, resolveColumn } from './filter';

export interface SelectPlan {
  /** Logical names; a lookup selected as `_x_value` is its column x. Every column when `all`. */
  columns: string[];
  all: boolean;
}

const PREFIX = '$select=';

export function parseSelect(select: string | undefined, table: TableDef): SelectPlan {
  const everything: SelectPlan = { columns: Object.keys(table.columns), all: true };
  if (select === undefined || select.trim() === '') return everything;
  const m = maskQueryText(select, { compactSeparators: true });
  const ast = parseWith((text) => defaultParser.query(`${PREFIX}${text}`), m, PREFIX.length);
  const option = (field(ast.value, 'options') as unknown[] | undefined)?.[0];
  const items = field(isTok(option) ? option.value : undefined, 'items');
  if (!Array.isArray(items)) throw errors.badRequest(`Syntax error at position 0 in '${select}'.`);

  const columns: string[] = [];
  for (const item of items) {
    if (!isTok(item)) continue;
    const name = originalSlice(m, item.position - PREFIX.length, item.next - PREFIX.length).trim();
    if (name === '*') return everything;
    if (name.includes('/')) {
      const [nav, ...rest] = name.split('/');
      throw errors.badRequest(`$select can't follow a navigation property ('${name}'); use $expand=${nav ?? ''}($select=${rest.join('/')}).`);
    }
    const column = resolveColumn(table, name).logicalName;
    if (!columns.includes(column)) columns.push(column);
  }
  return { columns, all: false };
}

/// <reference lib="dom" />
/**
 * Table metadata the host needs (entity set names, column types, primary columns), from the one schema module — as
 * model-driven apps know it from the organisation's metadata.
 */
import { schema, navigationPropertyOf } from '@pfb/domain/src/schema';
import type { ColumnDef, TableDef } from '@pfb/domain/src/schema';

export function tableOf(logicalName: string): TableDef {
  const t = schema.table(logicalName);
  if (!t) throw new Error(`The PCF host knows no table ${logicalName} (not in the schema module)`);
  return t;
}

export function entitySetOf(logicalName: string): string {
  return tableOf(logicalName).entitySetName;
}

export function columnOf(table: TableDef, name: string): ColumnDef | undefined {
  return table.columns[name];
}

export { navigationPropertyOf };

/** The PCF data type name of a column (what DataSet.columns[].dataType and Property.type carry). */
export function pcfDataType(c: ColumnDef | undefined): string {
  switch (c?.type) {
    case 'string':
      return 'SingleLine.Text';
    case 'memo':
      return 'Multiple';
    case 'integer':
    case 'bigint':
      return 'Whole.None';
    case 'decimal':
      return 'Decimal';
    case 'double':
      return 'FP';
    case 'money':
      return 'Currency';
    case 'boolean':
      return 'TwoOptions';
    case 'datetime':
      return c.dateTimeBehavior === 'DateOnly' ? 'DateAndTime.DateOnly' : 'DateAndTime.DateAndTime';
    case 'picklist':
    case 'state':
    case 'status':
      return 'OptionSet';
    case 'lookup':
      return 'Lookup.Simple';
    case 'customer':
      return 'Lookup.Customer';
    case 'owner':
      return 'Lookup.Owner';
    case 'uniqueidentifier':
      return 'SingleLine.Text';
    default:
      return 'SingleLine.Text';
  }
}

export function isLookupColumn(c: ColumnDef | undefined): boolean {
  return !!c && (c.type === 'lookup' || c.type === 'customer' || c.type === 'owner');
}

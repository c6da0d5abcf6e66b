/** How schema column types appear in OData: one mapping for $metadata and for type checks in $filter. */
import type { ColumnDef } from '@pfb/domain';

/** The Edm type of a column's structural property (lookups: their `_x_value` GUID). */
export function edmTypeOf(column: ColumnDef): string {
  switch (column.type) {
    case 'uniqueidentifier':
    case 'lookup':
    case 'owner':
    case 'customer':
      return 'Edm.Guid';
    case 'string':
    case 'memo':
      return 'Edm.String';
    case 'integer':
    case 'picklist':
    case 'state':
    case 'status':
      return 'Edm.Int32';
    case 'bigint':
      return 'Edm.Int64';
    case 'decimal':
    case 'money':
      return 'Edm.Decimal';
    case 'double':
      return 'Edm.Double';
    case 'boolean':
      return 'Edm.Boolean';
    case 'datetime':
      return column.dateTimeBehavior === 'DateOnly' ? 'Edm.Date' : 'Edm.DateTimeOffset';
    default:
      // A column type added to the schema later still yields a valid document; map it here when it matters.
      return 'Edm.String';
  }
}

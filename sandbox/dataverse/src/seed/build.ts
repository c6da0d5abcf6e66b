/**
 * The two shapes every seed module builds: a row of a table and a reference to one. Both take the table
 * definition from the schema module, so table names and primary keys are never retyped here.
 */
import type { TableDef } from '@pfb/domain';
import type { Attributes, EntityReference } from '../store/types';
import type { SeedRecord } from './types';

export function ref(table: TableDef, id: string): EntityReference {
  return { logicalName: table.logicalName, id };
}

/** A row with its primary id; `attributes` holds the other columns by logical name. */
export function row(table: TableDef, id: string, attributes: Attributes): SeedRecord {
  return { table: table.logicalName, attributes: { [table.primaryIdAttribute]: id, ...attributes } };
}

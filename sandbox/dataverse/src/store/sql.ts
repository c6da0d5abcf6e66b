/**
 * How a schema table maps onto SQLite: one SQL table per Dataverse table, one SQL column per Dataverse column
 * (same logical name), plus `<lookup>__target` holding the target table of each lookup. Values are stored in
 * forms that compare correctly in SQL: GUIDs lower-case, date-times as `YYYY-MM-DDTHH:MM:SSZ`, booleans 0/1.
 */
import type { ColumnDef, TableDef } from '@pfb/domain';
import type { AttributeValue, Attributes, EntityReference } from './types';

export function isLookup(c: ColumnDef): boolean {
  return c.type === 'lookup' || c.type === 'owner' || c.type === 'customer';
}

export const targetColumn = (logicalName: string): string => `${logicalName}__target`;

function sqlType(c: ColumnDef): string {
  switch (c.type) {
    case 'integer':
    case 'bigint':
    case 'boolean':
    case 'picklist':
    case 'state':
    case 'status':
      return 'INTEGER';
    case 'decimal':
    case 'double':
    case 'money':
      return 'REAL';
    default:
      return 'TEXT';
  }
}

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export function createTableSql(t: TableDef): string[] {
  const defs: string[] = [];
  for (const c of Object.values(t.columns)) {
    const pk = c.logicalName === t.primaryIdAttribute ? ' PRIMARY KEY NOT NULL' : '';
    defs.push(`${quoteIdent(c.logicalName)} ${sqlType(c)}${pk}`);
    if (isLookup(c)) defs.push(`${quoteIdent(targetColumn(c.logicalName))} TEXT`);
  }
  const stmts = [`CREATE TABLE IF NOT EXISTS ${quoteIdent(t.logicalName)} (${defs.join(', ')})`];
  // Alternate keys are unique indexes (Dataverse builds them as such); NULLs do not collide in SQLite, as in Dataverse.
  for (const key of t.alternateKeys) {
    stmts.push(
      `CREATE UNIQUE INDEX IF NOT EXISTS ${quoteIdent(`ak_${t.logicalName}_${key.schemaName}`)} ON ${quoteIdent(t.logicalName)} (${key.columns.map(quoteIdent).join(', ')})`,
    );
  }
  // Index every lookup: expands, filters on `_x_value` and cascades all walk them.
  for (const c of Object.values(t.columns)) {
    if (isLookup(c)) {
      stmts.push(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`ix_${t.logicalName}_${c.logicalName}`)} ON ${quoteIdent(t.logicalName)} (${quoteIdent(c.logicalName)})`);
    }
  }
  return stmts;
}

/** Normalises a date-time to the stored UTC form (seconds precision, as Dataverse stores). */
export function normalizeDateTime(value: string, dateOnly: boolean): string | null {
  if (dateOnly) {
    const m = /^(\d{4}-\d{2}-\d{2})(T.*)?$/.exec(value);
    return m ? (m[1] as string) : null;
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return null;
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export type SqlValue = string | number | null;

/** Writes one column's value into `out` (SQL column → value), including the lookup target column. */
export function toSql(c: ColumnDef, value: AttributeValue, out: Record<string, SqlValue>): void {
  if (value === null) {
    out[c.logicalName] = null;
    if (isLookup(c)) out[targetColumn(c.logicalName)] = null;
    return;
  }
  if (isLookup(c)) {
    const ref = value as EntityReference;
    out[c.logicalName] = ref.id.toLowerCase();
    out[targetColumn(c.logicalName)] = ref.logicalName;
    return;
  }
  switch (c.type) {
    case 'boolean':
      out[c.logicalName] = value ? 1 : 0;
      return;
    case 'uniqueidentifier':
      out[c.logicalName] = String(value).toLowerCase();
      return;
    default:
      out[c.logicalName] = value as string | number;
  }
}

/** Reads a row back into attributes (all columns, nulls included). */
export function fromSql(t: TableDef, row: Record<string, SqlValue>): Attributes {
  const out: Attributes = {};
  for (const c of Object.values(t.columns)) {
    const v = row[c.logicalName];
    if (v === null || v === undefined) {
      out[c.logicalName] = null;
      continue;
    }
    if (isLookup(c)) {
      const target = row[targetColumn(c.logicalName)];
      out[c.logicalName] = { logicalName: String(target ?? c.targets?.[0] ?? ''), id: String(v) };
      continue;
    }
    out[c.logicalName] = c.type === 'boolean' ? v === 1 : v;
  }
  return out;
}

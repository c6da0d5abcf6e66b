/**
 * The Web API names the commands use, all derived from the one schema module (`@pfb/domain`): entity sets,
 * `_x_value` lookup properties, navigation properties for `$expand` and `@odata.bind`, alternate-key addresses and
 * `Microsoft.Dynamics.CRM.In` filters. No logical name is typed here as a literal.
 */
import {
  bookableresourcecategory,
  msdyn_project,
  msdyn_projectteam,
  msdyn_projecttask,
  msdyn_resourceassignment,
  navigationPropertyOf,
  pfb_tasksync,
  schema,
  systemuser,
  type ColumnDef,
  type TableDef,
} from '@pfb/domain';

export { bookableresourcecategory, msdyn_project, msdyn_projectteam, msdyn_projecttask, msdyn_resourceassignment, pfb_tasksync, systemuser };

export const TASK = msdyn_projecttask.columns;
export const PROJECT = msdyn_project.columns;
export const ASSIGNMENT = msdyn_resourceassignment.columns;
export const TEAM_MEMBER = msdyn_projectteam.columns;
export const ROLE = bookableresourcecategory.columns;
export const TASK_SYNC = pfb_tasksync.columns;

/** How the Web API returns a lookup's id: `_<logicalname>_value`. */
export const lookupValue = (column: ColumnDef): string => `_${column.logicalName}_value`;

/** A `$select` list: lookups as `_x_value`, other columns by logical name. */
export function selectList(...columns: readonly ColumnDef[]): string {
  return columns.map((c) => (c.targets ? lookupValue(c) : c.logicalName)).join(',');
}

/** The primary key column of a table (added by the schema builder to every table). */
export function primaryKey(table: TableDef): ColumnDef {
  const column = table.columns[table.primaryIdAttribute];
  if (!column) throw new Error(`Schema: ${table.logicalName} has no primary key column`);
  return column;
}

function targetOf(column: ColumnDef): TableDef {
  const target = column.targets?.[0] ? schema.table(column.targets[0]) : undefined;
  if (!target) throw new Error(`Schema: ${column.logicalName} is not a lookup to a modelled table`);
  return target;
}

/** The single-valued navigation property of a lookup column (for `$expand` and `@odata.bind`). */
export const navigationOf = (column: ColumnDef): string => navigationPropertyOf(column);

/** The collection-valued navigation property on `parent` listing the `child` rows whose `column` points to it. */
export function collectionOf(parent: TableDef, child: TableDef, column: ColumnDef): string {
  const r = schema.oneToManyOf(parent.logicalName).find((x) => x.referencingEntity === child.logicalName && x.referencingAttribute === column.logicalName);
  if (!r) throw new Error(`Schema: no relationship from ${child.logicalName}.${column.logicalName} to ${parent.logicalName}`);
  return r.referencedNavigationProperty;
}

/** `{ "<nav>@odata.bind": "/<entityset>(<id>)" }`: sets a lookup in a create, update or bulk target. */
export function bind(column: ColumnDef, id: string): Record<string, string> {
  return { [`${navigationOf(column)}@odata.bind`]: `/${targetOf(column).entitySetName}(${id})` };
}

/** `Microsoft.Dynamics.CRM.<logicalname>`: the `@odata.type` every bulk-message target must carry (bulk-operations). */
export const odataType = (table: TableDef): string => `Microsoft.Dynamics.CRM.${table.logicalName}`;

/**
 * `<entityset>(<keycolumn>=<guid>)`: a row addressed by a single-column alternate key on a lookup (DESIGN §3:
 * pfb_tasksync has one on pfb_projecttask). A GUID key value is written unquoted, as an Edm.Guid literal.
 */
export function addressByLookupKey(table: TableDef, column: ColumnDef, id: string): string {
  const key = table.alternateKeys.find((k) => k.columns.length === 1 && k.columns[0] === column.logicalName);
  if (!key) throw new Error(`Schema: ${table.logicalName} has no alternate key on ${column.logicalName}`);
  return `${table.entitySetName}(${column.logicalName}=${id})`;
}

/**
 * `Microsoft.Dynamics.CRM.In(PropertyName='<column>',PropertyValues=[…])` (Web API query functions take attribute
 * logical names, lookups included). Callers keep the value list short enough for a GET URL (ID_CHUNK).
 */
export function inFilter(column: ColumnDef, values: readonly string[]): string {
  return `Microsoft.Dynamics.CRM.In(PropertyName='${column.logicalName}',PropertyValues=[${values.map((v) => JSON.stringify(v)).join(',')}])`;
}

/**
 * Ids per `In` filter in one GET. Dataverse accepts GET URLs up to 32,768 characters (execute-batch-operations: "GET
 * URLs … 32,768 outside a batch"); 500 GUIDs with the select and expand text make about 22 KB.
 */
export const ID_CHUNK = 500;

/** Records per bulk message: the suggested starting point for standard tables (bulk-operations). */
export const BULK_CHUNK = 1000;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The privilege a table's Create, Write… right is checked against: `prv<Right><SchemaName>` (e.g. prvCreatepfb_tasksync). */
export const privilegeName = (right: 'Create' | 'Write' | 'Read', table: TableDef): string => `prv${right}${table.schemaName}`;

/**
 * The Web API names task sync reads and writes, all derived from the one schema module (never typed as literals):
 * entity sets, `_x_value` lookup properties, `nav@odata.bind` properties, collection-valued navigation properties,
 * alternate-key addresses and `Microsoft.Dynamics.CRM.In` filters.
 */
import {
  bookableresourcebooking,
  bookableresourcecategory,
  bookingstatus,
  msdyn_project,
  msdyn_projectteam,
  msdyn_projecttask,
  msdyn_resourceassignment,
  msdyn_resourcerequirement,
  msdyn_workorder,
  navigationPropertyOf,
  pfb_tasksync,
  schema,
  type ColumnDef,
  type TableDef,
} from '@pfb/domain';

export const TASK_SYNC = pfb_tasksync.columns;
export const TASK = msdyn_projecttask.columns;
export const PROJECT = msdyn_project.columns;
export const ASSIGNMENT = msdyn_resourceassignment.columns;
export const TEAM_MEMBER = msdyn_projectteam.columns;
export const ROLE = bookableresourcecategory.columns;
export const WORK_ORDER = msdyn_workorder.columns;
export const REQUIREMENT = msdyn_resourcerequirement.columns;
export const BOOKING = bookableresourcebooking.columns;
export const BOOKING_STATUS = bookingstatus.columns;

/** A column Dataverse adds to every table (primary key, createdon…): in the schema, though not among the declared column types. */
export function platformColumn(table: TableDef, logicalName: string): ColumnDef {
  const column = table.columns[logicalName];
  if (!column) throw new Error(`Schema: ${table.logicalName} has no column ${logicalName}`);
  return column;
}

export const primaryKey = (table: TableDef): ColumnDef => platformColumn(table, table.primaryIdAttribute);

/** How the Web API returns a lookup column's id: `_<logicalname>_value`. */
export function lookupProperty(column: ColumnDef): string {
  return `_${column.logicalName}_value`;
}

/** The column names to `$select`: lookups as `_x_value`, the rest by logical name. */
export function selectOf(...columns: readonly ColumnDef[]): string[] {
  return columns.map((c) => (c.targets ? lookupProperty(c) : c.logicalName));
}

function targetOf(column: ColumnDef): TableDef {
  const target = column.targets?.[0] ? schema.table(column.targets[0]) : undefined;
  if (!target) throw new Error(`Schema: ${column.logicalName} is not a lookup to a modelled table`);
  return target;
}

/** `{ "<nav>@odata.bind": "/<entityset>(<id>)" }`: sets a lookup column. */
export function bind(column: ColumnDef, id: string): Record<string, string> {
  return { [`${navigationPropertyOf(column)}@odata.bind`]: `/${targetOf(column).entitySetName}(${id})` };
}

/** The single-valued navigation property of a lookup, for `$expand`. */
export function navigationOf(column: ColumnDef): string {
  return navigationPropertyOf(column);
}

/** The collection-valued navigation property on `parent` listing the `child` rows whose `column` points to it. */
export function collectionOf(parent: TableDef, child: TableDef, column: ColumnDef): string {
  const r = schema.oneToManyOf(parent.logicalName).find((x) => x.referencingEntity === child.logicalName && x.referencingAttribute === column.logicalName);
  if (!r) throw new Error(`Schema: no relationship from ${child.logicalName}.${column.logicalName} to ${parent.logicalName}`);
  return r.referencedNavigationProperty;
}

/** OData string literal: single quotes doubled. */
const literal = (v: string): string => `'${v.replace(/'/g, "''")}'`;

/** `msdyn_workorders(pfb_sourcekey='<key>')`: a work order addressed by its alternate key (DESIGN §3). */
export function workOrderByKey(sourceKey: string): string {
  const key = msdyn_workorder.alternateKeys.find((k) => k.columns.length === 1 && k.columns[0] === WORK_ORDER.pfb_sourcekey.logicalName);
  if (!key) throw new Error('Schema: msdyn_workorder has no alternate key on pfb_sourcekey');
  return `${msdyn_workorder.entitySetName}(${key.columns[0] as string}=${literal(sourceKey)})`;
}

/**
 * `Microsoft.Dynamics.CRM.In(PropertyName='<column>',PropertyValues=[…])`. The property is the column's logical name
 * (the query functions take attribute names, lookups included). Callers chunk the values (ID_CHUNK) so the URL stays
 * well under Dataverse's 32,768-character limit for a GET.
 */
export function inFilter(column: ColumnDef | string, values: readonly string[]): string {
  const name = typeof column === 'string' ? column : column.logicalName;
  return `Microsoft.Dynamics.CRM.In(PropertyName=${literal(name)},PropertyValues=[${values.map((v) => JSON.stringify(v)).join(',')}])`;
}

/** Ids per `In` filter: 200 GUIDs make about 8 KB of URL. */
export const ID_CHUNK = 200;

/** Records per bulk message: the suggested starting point for standard tables (bulk-operations). */
export const BULK_CHUNK = 1000;

/** Requests per `$batch` (execute-batch-operations-using-web-api). */
export const BATCH_LIMIT = 1000;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

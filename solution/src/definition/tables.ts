/**
 * Which tables, columns, keys, relationships and choices the solution carries — all derived from the schema module,
 * never listed by hand:
 * - our tables (origin `pfb`): created by the solution, every column, key and relationship;
 * - Microsoft's tables (Project Operations, Field Service, platform) that we add `pfb_` columns or keys to, or whose
 *   ribbon we extend: included with "do not include subcomponents" (behavior 2) and only our columns and keys, as a
 *   maker's export of an existing table with selected columns looks;
 * - the global choices our columns use that carry our prefix.
 */
import { msdyn_project, msdyn_projecttask, type AlternateKeyDef, type ColumnDef, type OptionSetDef, type RelationshipDef, type SchemaModel, type TableDef } from '@pfb/domain';

/** Tables whose ribbon the solution extends (DESIGN §1 step 2: project task grid/subgrid/form, project form). */
export const RIBBON_TABLES: readonly string[] = [msdyn_projecttask.logicalName, msdyn_project.logicalName];

export interface TableComponent {
  readonly table: TableDef;
  /** Created by the solution (behavior 0); otherwise an existing table we extend (behavior 2). */
  readonly owned: boolean;
  /** Columns the solution writes into Entity.xml: every column of an owned table, our columns of another's. */
  readonly columns: readonly ColumnDef[];
  readonly keys: readonly AlternateKeyDef[];
  /** One-to-many relationships whose lookup is one of `columns`. */
  readonly relationships: readonly RelationshipDef[];
  /** The entity carries a RibbonDiffXml. */
  readonly ribbon: boolean;
}

export const PUBLISHER_PREFIX = 'pfb_';
export const isOwnTable = (t: TableDef): boolean => t.origin === 'pfb';

const byLogicalName = (a: TableDef, b: TableDef): number => (a.logicalName < b.logicalName ? -1 : a.logicalName > b.logicalName ? 1 : 0);

/**
 * The table components: ours first, then the tables we extend, each group by logical name. (Not in the schema's
 * order: a module namespace's key order differs between runtimes, and the package must not.)
 */
export function tableComponents(schema: SchemaModel, ribbonTables: readonly string[] = RIBBON_TABLES): TableComponent[] {
  const out: TableComponent[] = [];
  const ordered = [...schema.tables.filter(isOwnTable).sort(byLogicalName), ...schema.tables.filter((t) => !isOwnTable(t)).sort(byLogicalName)];
  for (const table of ordered) {
    const owned = isOwnTable(table);
    const columns = Object.values(table.columns).filter((c) => owned || c.addedBySolution === true);
    const names = new Set(columns.map((c) => c.logicalName));
    const keys = table.alternateKeys.filter((k) => owned || k.columns.every((c) => names.has(c)));
    const ribbon = ribbonTables.includes(table.logicalName);
    if (!owned && columns.length === 0 && keys.length === 0 && !ribbon) continue;
    const relationships = schema.manyToOneOf(table.logicalName).filter((r) => names.has(r.referencingAttribute));
    out.push({ table, owned, columns, keys, relationships, ribbon });
  }
  return out;
}

/** Global choices with our prefix that the components' columns use, each once, by name. */
export function globalOptionSets(components: readonly TableComponent[]): OptionSetDef[] {
  const seen = new Map<string, OptionSetDef>();
  for (const c of components) {
    for (const column of c.columns) {
      const os = column.optionSet;
      if (os?.global && os.name.startsWith(PUBLISHER_PREFIX) && !seen.has(os.name)) seen.set(os.name, os);
    }
  }
  return [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

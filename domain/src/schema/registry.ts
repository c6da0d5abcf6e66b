/**
 * The schema as one queryable model: tables by logical name and entity set name, and the one-to-many
 * relationships (with their navigation properties) derived from the lookup columns.
 */
import type { ColumnDef, RelationshipDef, TableDef } from './types';

export interface SchemaModel {
  readonly tables: readonly TableDef[];
  readonly relationships: readonly RelationshipDef[];
  table(logicalName: string): TableDef | undefined;
  tableByEntitySet(entitySetName: string): TableDef | undefined;
  /** Relationships where `logicalName` is the child (many side). */
  manyToOneOf(logicalName: string): readonly RelationshipDef[];
  /** Relationships where `logicalName` is the parent (one side). */
  oneToManyOf(logicalName: string): readonly RelationshipDef[];
}

/** The single-valued navigation property of a lookup column: its schema name unless set explicitly. */
export function navigationPropertyOf(column: ColumnDef): string {
  return column.navigationProperty ?? column.schemaName;
}

export function buildSchema(tables: readonly TableDef[]): SchemaModel {
  const byName = new Map<string, TableDef>();
  const bySet = new Map<string, TableDef>();
  for (const t of tables) {
    if (byName.has(t.logicalName)) throw new Error(`Schema: table ${t.logicalName} is declared twice`);
    if (bySet.has(t.entitySetName)) throw new Error(`Schema: entity set ${t.entitySetName} is declared twice`);
    byName.set(t.logicalName, t);
    bySet.set(t.entitySetName, t);
  }

  const relationships: RelationshipDef[] = [];
  for (const t of tables) {
    for (const c of Object.values(t.columns)) {
      if (!c.targets) continue;
      for (const target of c.targets) {
        const parent = byName.get(target);
        if (!parent) continue; // a target we do not model (e.g. team): the lookup still stores its GUID
        // Polymorphic lookups (owner, customer) have one relationship per target; Dataverse names the
        // navigation property per target (e.g. owninguser/owningteam); we keep the attribute name for the first.
        const per = c.perTarget?.[target];
        const schemaName =
          per?.relationshipName ??
          (c.relationshipName && c.targets.length === 1
            ? c.relationshipName
            : c.relationshipName
              ? `${c.relationshipName}_${target}`
              : // A relationship the solution adds must carry the publisher's prefix, as Dataverse requires of
                // custom relationships (and as the maker portal names them).
                c.logicalName.startsWith('pfb_')
                ? `pfb_${target}_${t.logicalName}_${c.logicalName.slice('pfb_'.length)}`
                : `${target}_${t.logicalName}_${c.logicalName}`);
        relationships.push({
          schemaName,
          referencedEntity: target,
          referencedAttribute: parent.primaryIdAttribute,
          referencingEntity: t.logicalName,
          referencingAttribute: c.logicalName,
          referencingNavigationProperty:
            per?.navigationProperty ??
            (c.targets.length === 1 || target === c.targets[0] ? navigationPropertyOf(c) : `${navigationPropertyOf(c)}_${target}`),
          referencedNavigationProperty: per?.referencedNavigationProperty ?? c.referencedNavigationProperty ?? schemaName,
          cascadeDelete: c.cascadeDelete ?? 'RemoveLink',
        });
      }
    }
  }
  const seenNav = new Set<string>();
  for (const r of relationships) {
    const k = `${r.referencedEntity}.${r.referencedNavigationProperty}`;
    if (seenNav.has(k)) throw new Error(`Schema: navigation property ${k} is declared twice`);
    seenNav.add(k);
  }

  return {
    tables,
    relationships,
    table: (n) => byName.get(n),
    tableByEntitySet: (s) => bySet.get(s),
    manyToOneOf: (n) => relationships.filter((r) => r.referencingEntity === n),
    oneToManyOf: (n) => relationships.filter((r) => r.referencedEntity === n),
  };
}

/**
 * customizations.xml's Entities, optionsets and EntityRelationships → table definitions, the way Dataverse turns
 * them into metadata: a table the organization does not have is created (the platform adds its own columns —
 * ids, created/modified, owner, state — and the customization prefix must start every custom name); a table it has
 * gains the solution's columns and keys. Lookup targets, navigation property names and cascade behaviour come from
 * the relationships, as in Dataverse, where an attribute's XML does not say what it points to.
 */
import { defineTable, type AlternateKeyDef, type ColumnDef, type OptionDef, type OptionSetDef, type TableDef } from '@pfb/domain';
import {
  COLUMN_TYPE_OF,
  DATETIME_BEHAVIOR_OF,
  OWNERSHIP_OF,
  PRIMARY_KEY_TYPE,
  REFERENCED_ROLE,
  REFERENCING_ROLE,
  REQUIRED_LEVEL_OF,
  child,
  children,
  type Element,
} from '@pfb/solution';
import type { SchemaModel } from '@pfb/domain';
import type { TableChange } from '../metadata/metadataService';
import { importError } from '../metadata/metadataService';
import { labelOf, textOf, type PackageManifest } from './readPackage';

interface RelationshipXml {
  readonly name: string;
  readonly referencingEntity: string;
  readonly referencedEntity: string;
  readonly referencingAttribute: string;
  readonly cascadeDelete: 'Cascade' | 'RemoveLink' | 'Restrict';
  readonly referencingNavigationProperty: string;
  readonly referencedNavigationProperty: string;
}

function readRelationships(customizations: Element): RelationshipXml[] {
  return children(child(customizations, 'EntityRelationships'), 'EntityRelationship').map((r) => {
    const roles = children(child(r, 'EntityRelationshipRoles'), 'EntityRelationshipRole');
    const nav = (type: string): string | undefined => roles.find((x) => textOf(x, 'RelationshipRoleType') === type)?.children.find((c) => c.name === 'NavigationPropertyName')?.text;
    const name = r.attributes['Name'] ?? '';
    const cascade = textOf(r, 'CascadeDelete') ?? 'RemoveLink';
    return {
      name,
      referencingEntity: (textOf(r, 'ReferencingEntityName') ?? '').toLowerCase(),
      referencedEntity: (textOf(r, 'ReferencedEntityName') ?? '').toLowerCase(),
      referencingAttribute: (textOf(r, 'ReferencingAttributeName') ?? '').toLowerCase(),
      cascadeDelete: cascade === 'Cascade' || cascade === 'Restrict' ? cascade : 'RemoveLink',
      referencingNavigationProperty: nav(REFERENCING_ROLE) ?? '',
      referencedNavigationProperty: nav(REFERENCED_ROLE) ?? name,
    };
  });
}

function optionsOf(list: Element | undefined): OptionDef[] {
  return children(list, 'option').map((o) => ({ value: Number(o.attributes['value']), label: labelOf(child(o, 'labels')) }));
}

/** The package's global choices, by name. */
function readGlobalOptionSets(customizations: Element): Map<string, OptionSetDef> {
  const out = new Map<string, OptionSetDef>();
  for (const os of children(child(customizations, 'optionsets'), 'optionset')) {
    const name = os.attributes['Name'] ?? '';
    out.set(name, { name, global: true, options: optionsOf(child(os, 'options')) });
  }
  return out;
}

/** A global choice the organization already has (a column of any table uses it). */
function existingGlobalOptionSet(schema: SchemaModel, name: string): OptionSetDef | undefined {
  for (const t of schema.tables) for (const c of Object.values(t.columns)) if (c.optionSet?.global && c.optionSet.name === name) return c.optionSet;
  return undefined;
}

interface Context {
  readonly schema: SchemaModel;
  readonly relationships: readonly RelationshipXml[];
  readonly optionSets: ReadonlyMap<string, OptionSetDef>;
  readonly manifest: PackageManifest;
}

const num = (e: Element, name: string): number | undefined => {
  const t = textOf(e, name);
  return t === undefined || t === '' ? undefined : Number(t);
};

/** One `<attribute>` → a column definition (undefined for the primary key, which the platform adds). */
function columnOf(table: string, a: Element, ctx: Context, addedBySolution: boolean): ColumnDef | undefined {
  const typeName = textOf(a, 'Type') ?? '';
  if (typeName === PRIMARY_KEY_TYPE) return undefined;
  const type = COLUMN_TYPE_OF.get(typeName);
  const logicalName = (textOf(a, 'LogicalName') ?? textOf(a, 'Name') ?? '').toLowerCase();
  if (!type) throw importError(`${table}.${logicalName}: attribute type '${typeName}' is not one this organization supports.`);
  const create = textOf(a, 'ValidForCreateApi') !== '0';
  const update = textOf(a, 'ValidForUpdateApi') !== '0';
  const description = labelOf(child(a, 'Descriptions'));
  const column: Record<string, unknown> = {
    logicalName,
    schemaName: a.attributes['PhysicalName'] ?? logicalName,
    type,
    displayName: labelOf(child(a, 'displaynames')) || logicalName,
    required: REQUIRED_LEVEL_OF.get((textOf(a, 'RequiredLevel') ?? 'none').toLowerCase()) ?? 'none',
  };
  if (description) column['description'] = description;
  if (!create && !update) column['readOnly'] = true;
  else if (create && !update) column['createOnly'] = true;
  if (textOf(a, 'ValidForReadApi') === '0') column['notReadable'] = true;
  if (addedBySolution) column['addedBySolution'] = true;
  const maxLength = num(a, 'MaxLength');
  if ((type === 'string' || type === 'memo') && maxLength !== undefined) column['maxLength'] = maxLength;
  if (['integer', 'bigint', 'decimal', 'double', 'money'].includes(type)) {
    const min = num(a, 'MinValue');
    const max = num(a, 'MaxValue');
    const accuracy = num(a, 'Accuracy');
    if (min !== undefined) column['minValue'] = min;
    if (max !== undefined) column['maxValue'] = max;
    if (accuracy !== undefined && type !== 'integer' && type !== 'bigint') column['precision'] = accuracy;
  }
  if (type === 'datetime') column['dateTimeBehavior'] = DATETIME_BEHAVIOR_OF.get(num(a, 'Behavior') ?? 1) ?? 'UserLocal';
  if (type === 'picklist') {
    const globalName = textOf(a, 'OptionSetName');
    if (globalName) {
      const os = ctx.optionSets.get(globalName) ?? existingGlobalOptionSet(ctx.schema, globalName);
      if (!os) throw importError(`${table}.${logicalName} uses the global choice ${globalName}, which is neither in the solution nor in this organization.`);
      column['optionSet'] = os;
    } else {
      const inline = child(a, 'optionset');
      column['optionSet'] = { name: inline?.attributes['Name'] ?? `${table}_${logicalName}`, global: false, options: optionsOf(child(inline, 'options')) };
    }
  }
  if (type === 'lookup' || type === 'customer' || type === 'owner') {
    const rels = ctx.relationships.filter((r) => r.referencingEntity === table && r.referencingAttribute === logicalName);
    if (rels.length === 0) throw importError(`The lookup ${table}.${logicalName} has no relationship in the solution: every lookup needs its EntityRelationship.`);
    column['targets'] = rels.map((r) => r.referencedEntity);
    const first = rels[0] as RelationshipXml;
    if (rels.length === 1) {
      column['relationshipName'] = first.name;
      column['navigationProperty'] = first.referencingNavigationProperty || column['schemaName'];
      column['referencedNavigationProperty'] = first.referencedNavigationProperty;
    } else {
      column['navigationProperty'] = first.referencingNavigationProperty || column['schemaName'];
      column['perTarget'] = Object.fromEntries(
        rels.map((r) => [r.referencedEntity, { navigationProperty: r.referencingNavigationProperty, relationshipName: r.name, referencedNavigationProperty: r.referencedNavigationProperty }]),
      );
    }
    column['cascadeDelete'] = first.cascadeDelete;
  }
  return column as unknown as ColumnDef;
}

function keysOf(entity: Element): AlternateKeyDef[] {
  return children(child(entity, 'EntityKeys'), 'EntityKey').map((k) => ({
    schemaName: textOf(k, 'Name') ?? '',
    displayName: labelOf(child(k, 'displaynames')) || (textOf(k, 'Name') ?? ''),
    columns: children(child(k, 'EntityKeyAttributes'), 'AttributeName').map((n) => n.text.toLowerCase()),
  }));
}

function statesOf(attributes: readonly Element[]): { state: OptionDef[]; status: Array<OptionDef & { state: number }> } | undefined {
  const stateSet = child(attributes.find((a) => textOf(a, 'Type') === 'state'), 'optionset');
  const statusSet = child(attributes.find((a) => textOf(a, 'Type') === 'status'), 'optionset');
  if (!stateSet || !statusSet) return undefined;
  return {
    state: children(child(stateSet, 'states'), 'state').map((s) => ({ value: Number(s.attributes['value']), label: labelOf(child(s, 'labels')) })),
    status: children(child(statusSet, 'statuses'), 'status').map((s) => ({ value: Number(s.attributes['value']), label: labelOf(child(s, 'labels')), state: Number(s.attributes['state'] ?? 0) })),
  };
}

/** The columns the platform adds to every table of that ownership (defineTable's system columns). */
function systemColumnNames(primaryIdAttribute: string, ownership: TableDef['ownership']): Set<string> {
  const probe = defineTable({
    logicalName: 'probe',
    entitySetName: 'probes',
    displayName: 'probe',
    displayCollectionName: 'probes',
    primaryIdAttribute,
    primaryNameAttribute: primaryIdAttribute,
    ownership,
    objectTypeCode: 1,
    origin: 'pfb',
    columns: [],
  });
  return new Set(Object.keys(probe.columns));
}

function nextObjectTypeCode(schema: SchemaModel, taken: Set<number>): number {
  for (const t of schema.tables) taken.add(t.objectTypeCode);
  let code = 10000;
  while (taken.has(code)) code += 1;
  taken.add(code);
  return code;
}

/** The metadata changes a package asks for. `createdBySolutions` are the tables earlier imports created (updatable). */
export function tableChangesOf(customizations: Element, manifest: PackageManifest, schema: SchemaModel, createdBySolutions: ReadonlySet<string>): TableChange[] {
  const ctx: Context = { schema, relationships: readRelationships(customizations), optionSets: readGlobalOptionSets(customizations), manifest };
  const prefix = `${manifest.publisher.prefix.toLowerCase()}_`;
  const optionFloor = manifest.publisher.optionValuePrefix * 10000;
  const needPrefix = (what: string, name: string): void => {
    if (!name.toLowerCase().startsWith(prefix)) throw importError(`${what} ${name} does not start with the publisher's customization prefix ${prefix}.`);
  };
  for (const os of ctx.optionSets.values()) {
    needPrefix('The global choice', os.name);
    for (const o of os.options) {
      if (o.value < optionFloor || o.value > optionFloor + 9999) throw importError(`Choice ${os.name}: option ${o.label} = ${o.value} is outside the publisher's option value range ${optionFloor}–${optionFloor + 9999}.`);
    }
  }

  const changes: TableChange[] = [];
  const codes = new Set<number>();
  for (const e of children(child(customizations, 'Entities'), 'Entity')) {
    const schemaName = child(e, 'Name')?.text ?? '';
    const entity = child(child(e, 'EntityInfo'), 'entity');
    const logicalName = schemaName.toLowerCase();
    if (!entity || !logicalName) throw importError('An Entity in customizations.xml has no Name or EntityInfo.');
    const attributes = children(child(entity, 'attributes'), 'attribute');
    const existing = schema.table(logicalName);
    if (existing && !createdBySolutions.has(logicalName)) {
      const columns: ColumnDef[] = [];
      for (const a of attributes) {
        const name = (textOf(a, 'LogicalName') ?? '').toLowerCase();
        if (existing.columns[name] && existing.columns[name]?.addedBySolution !== true) continue; // the platform's column
        needPrefix(`The column ${logicalName}.`, name);
        const c = columnOf(logicalName, a, ctx, true);
        if (c) columns.push(c);
      }
      const keys = keysOf(entity);
      for (const k of keys) needPrefix('The key', k.schemaName);
      changes.push({ kind: 'extend', table: logicalName, columns, keys });
      continue;
    }
    if (entity.attributes['unmodified'] === '1' && !existing) {
      throw importError(
        `The solution depends on the table ${schemaName}, which this organization does not have (a missing dependency): install the application that provides it (Dynamics 365 Field Service or Project Operations), then import again.`,
      );
    }
    needPrefix('The table', logicalName);
    const primaryKey = attributes.find((a) => textOf(a, 'Type') === PRIMARY_KEY_TYPE);
    const primaryName = attributes.find((a) => (textOf(a, 'DisplayMask') ?? '').split('|').includes('PrimaryName'));
    const ownership = OWNERSHIP_OF.get(textOf(entity, 'OwnershipTypeMask') ?? '');
    const entitySetName = textOf(entity, 'EntitySetName');
    if (!primaryKey || !primaryName || !ownership || !entitySetName) {
      throw importError(`The new table ${schemaName} needs a primary key, a primary name column, an OwnershipTypeMask and an EntitySetName.`);
    }
    const primaryIdAttribute = (textOf(primaryKey, 'LogicalName') ?? '').toLowerCase();
    const system = systemColumnNames(primaryIdAttribute, ownership);
    const custom: ColumnDef[] = [];
    for (const a of attributes) {
      const name = (textOf(a, 'LogicalName') ?? '').toLowerCase();
      if (system.has(name)) continue;
      needPrefix(`The column ${logicalName}.`, name);
      const c = columnOf(logicalName, a, ctx, false);
      if (c) custom.push(c);
    }
    const keys = keysOf(entity);
    for (const k of keys) needPrefix('The key', k.schemaName);
    let table: TableDef;
    try {
      table = defineTable({
        logicalName,
        schemaName,
        entitySetName,
        displayName: labelOf(child(entity, 'LocalizedNames')) || schemaName,
        displayCollectionName: labelOf(child(entity, 'LocalizedCollectionNames')) || entitySetName,
        description: labelOf(child(entity, 'Descriptions')) || undefined,
        primaryIdAttribute,
        primaryNameAttribute: (textOf(primaryName, 'LogicalName') ?? '').toLowerCase(),
        ownership,
        objectTypeCode: existing?.objectTypeCode ?? nextObjectTypeCode(schema, codes),
        origin: 'pfb',
        states: statesOf(attributes),
        columns: custom,
        alternateKeys: keys,
      });
    } catch (err) {
      throw importError(`The table ${schemaName} is not consistent: ${(err as Error).message}`);
    }
    changes.push({ kind: 'create', table });
  }
  return changes;
}

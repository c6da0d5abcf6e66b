/**
 * The service's `$metadata` document: OData CSDL (EDMX 4.0) for the modelled tables and the operations the local
 * Dataverse implements, in the shape Dataverse publishes (namespace `Microsoft.Dynamics.CRM`, alias `mscrm`,
 * container `System`, every entity type derived from the abstract `crmbaseentity`).
 *
 * Mapping (as the Web API exposes columns):
 * - a lookup column `x` is the structural property `_x_value` (Edm.Guid) plus a single-valued navigation property
 *   per modelled target, with a ReferentialConstraint on `_x_value`; the target gets the collection-valued partner;
 * - choices, state and status are Edm.Int32; money and decimal Edm.Decimal with `Scale="Variable"` (CSDL's default
 *   scale 0 would declare them whole numbers); date-times Edm.DateTimeOffset, DateOnly columns Edm.Date;
 * - alternate keys are published with the `OData.Community.Keys.V1.AlternateKeys` annotation.
 * Lookups to tables we do not model keep their `_x_value` property but get no navigation property (CSDL cannot
 * point at an undeclared type). Output is sorted by name, so it does not depend on declaration order.
 */
import { edmTypeOf } from './edm';
import type { ColumnDef, RelationshipDef, SchemaModel, TableDef } from '@pfb/domain';

const NS = 'Microsoft.Dynamics.CRM';
const ALIAS = 'mscrm';
const BASE_TYPE = 'crmbaseentity';

/** Escapes text for an XML attribute value or element content. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}


const isLookup = (c: ColumnDef): boolean => c.type === 'lookup' || c.type === 'owner' || c.type === 'customer';

/** The Web API property name of a column: `_x_value` for lookups, the logical name otherwise. */
export const propertyNameOf = (c: ColumnDef): string => (isLookup(c) ? `_${c.logicalName}_value` : c.logicalName);

// ---- operations ------------------------------------------------------------------------------------------------

interface ParameterSpec {
  readonly name: string;
  readonly type: string;
  readonly nullable?: boolean;
}

interface OperationSpec {
  readonly kind: 'Function' | 'Action';
  readonly name: string;
  /** Bound operations take the bound collection as their first parameter and get no import. */
  readonly bound?: boolean;
  readonly parameters: readonly ParameterSpec[];
  /** Complex type returned: `<name>Response` with these properties. */
  readonly returns?: readonly ParameterSpec[];
}

const str = (name: string, nullable = false): ParameterSpec => ({ name, type: 'Edm.String', nullable });
const boundCollection: ParameterSpec = { name: 'entityset', type: `Collection(${ALIAS}.${BASE_TYPE})` };
const targets: ParameterSpec = { name: 'Targets', type: `Collection(${ALIAS}.${BASE_TYPE})` };
const entity: ParameterSpec = { name: 'Entity', type: `${ALIAS}.${BASE_TYPE}` };
const operationSetResponse = [str('OperationSetResponse', true)];

/**
 * The functions and actions the local Dataverse answers. Schedule API parameters: dataverse-facts §1.2
 * (schedule-api-preview.md and Microsoft's sample code); their results are strings (OperationSetResponse is JSON
 * text that callers parse a second time).
 */
export const implementedOperations: readonly OperationSpec[] = [
  { kind: 'Function', name: 'WhoAmI', parameters: [], returns: [
    { name: 'BusinessUnitId', type: 'Edm.Guid' },
    { name: 'UserId', type: 'Edm.Guid' },
    { name: 'OrganizationId', type: 'Edm.Guid' },
  ] },
  { kind: 'Action', name: 'CreateMultiple', bound: true, parameters: [boundCollection, targets], returns: [{ name: 'Ids', type: 'Collection(Edm.Guid)' }] },
  { kind: 'Action', name: 'UpdateMultiple', bound: true, parameters: [boundCollection, targets] },
  // "The UpsertMultiple action returns 204 NoContent" (UpsertMultiple Action reference): no ReturnType.
  { kind: 'Action', name: 'UpsertMultiple', bound: true, parameters: [boundCollection, targets] },
  { kind: 'Action', name: 'msdyn_CreateOperationSetV1', parameters: [str('ProjectId'), str('Description', true)], returns: [str('OperationSetId', true)] },
  { kind: 'Action', name: 'msdyn_PssCreateV1', parameters: [entity, str('OperationSetId')], returns: operationSetResponse },
  { kind: 'Action', name: 'msdyn_PssUpdateV1', parameters: [entity, str('OperationSetId')], returns: operationSetResponse },
  { kind: 'Action', name: 'msdyn_PssDeleteV1', parameters: [str('RecordId'), str('EntityLogicalName'), str('OperationSetId')], returns: operationSetResponse },
  { kind: 'Action', name: 'msdyn_ExecuteOperationSetV1', parameters: [str('OperationSetId')], returns: operationSetResponse },
  { kind: 'Action', name: 'msdyn_AbandonOperationSetV1', parameters: [str('OperationSetId')], returns: operationSetResponse },
  // "ImportSolution Action": no return value (204); ConvertToManaged, SkipProductUpdateDependencies and HoldingSolution are nullable.
  {
    kind: 'Action',
    name: 'ImportSolution',
    parameters: [
      { name: 'OverwriteUnmanagedCustomizations', type: 'Edm.Boolean' },
      { name: 'PublishWorkflows', type: 'Edm.Boolean' },
      { name: 'CustomizationFile', type: 'Edm.Binary' },
      { name: 'ImportJobId', type: 'Edm.Guid' },
      { name: 'ConvertToManaged', type: 'Edm.Boolean', nullable: true },
      { name: 'SkipProductUpdateDependencies', type: 'Edm.Boolean', nullable: true },
      { name: 'HoldingSolution', type: 'Edm.Boolean', nullable: true },
    ],
  },
];

// ---- navigation ------------------------------------------------------------------------------------------------

interface NavSpec {
  readonly name: string;
  readonly target: string;
  readonly collection: boolean;
  readonly partner: string;
  readonly relationship: RelationshipDef;
}

/**
 * Navigation properties per table, both directions, without names that clash with a structural property or an
 * earlier navigation property (a clash would make the document invalid; the first, by relationship name, wins).
 */
function navigationByTable(schema: SchemaModel, tables: readonly TableDef[]): Map<string, NavSpec[]> {
  const out = new Map<string, NavSpec[]>();
  const taken = new Map<string, Set<string>>();
  for (const t of tables) {
    out.set(t.logicalName, []);
    taken.set(t.logicalName, new Set(Object.values(t.columns).map(propertyNameOf)));
  }
  const add = (table: string, nav: NavSpec): void => {
    const names = taken.get(table);
    if (!names || names.has(nav.name)) return;
    names.add(nav.name);
    out.get(table)?.push(nav);
  };
  const rels = [...schema.relationships].sort((a, b) => compare(a.schemaName, b.schemaName));
  for (const r of rels) {
    if (!out.has(r.referencingEntity) || !out.has(r.referencedEntity)) continue;
    add(r.referencingEntity, { name: r.referencingNavigationProperty, target: r.referencedEntity, collection: false, partner: r.referencedNavigationProperty, relationship: r });
    add(r.referencedEntity, { name: r.referencedNavigationProperty, target: r.referencingEntity, collection: true, partner: r.referencingNavigationProperty, relationship: r });
  }
  for (const list of out.values()) list.sort((a, b) => compare(a.name, b.name));
  return out;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// ---- document --------------------------------------------------------------------------------------------------

class XmlWriter {
  private readonly lines: string[] = [];
  private depth = 0;

  open(name: string, attrs: Record<string, string | undefined> = {}): void {
    this.lines.push(`${'  '.repeat(this.depth)}<${name}${attributes(attrs)}>`);
    this.depth++;
  }

  close(name: string): void {
    this.depth--;
    this.lines.push(`${'  '.repeat(this.depth)}</${name}>`);
  }

  empty(name: string, attrs: Record<string, string | undefined> = {}): void {
    this.lines.push(`${'  '.repeat(this.depth)}<${name}${attributes(attrs)} />`);
  }

  raw(text: string): void {
    this.lines.push(text);
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

function attributes(attrs: Record<string, string | undefined>): string {
  return Object.entries(attrs)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
}

function writeAlternateKeys(w: XmlWriter, t: TableDef): void {
  if (t.alternateKeys.length === 0) return;
  w.open('Annotation', { Term: 'OData.Community.Keys.V1.AlternateKeys' });
  w.open('Collection');
  for (const key of [...t.alternateKeys].sort((a, b) => compare(a.schemaName, b.schemaName))) {
    w.open('Record', { Type: 'OData.Community.Keys.V1.AlternateKey' });
    w.open('PropertyValue', { Property: 'Key' });
    w.open('Collection');
    for (const name of key.columns) {
      const column = t.columns[name];
      w.open('Record', { Type: 'OData.Community.Keys.V1.PropertyRef' });
      w.empty('PropertyValue', { Property: 'Alias', String: name });
      w.empty('PropertyValue', { Property: 'Name', PropertyPath: column ? propertyNameOf(column) : name });
      w.close('Record');
    }
    w.close('Collection');
    w.close('PropertyValue');
    w.close('Record');
  }
  w.close('Collection');
  w.close('Annotation');
}

function writeEntityType(w: XmlWriter, t: TableDef, navs: readonly NavSpec[], navNames: Map<string, Set<string>>, byName: Map<string, TableDef>): void {
  w.open('EntityType', { Name: t.logicalName, BaseType: `${ALIAS}.${BASE_TYPE}` });
  w.open('Key');
  w.empty('PropertyRef', { Name: t.primaryIdAttribute });
  w.close('Key');
  const columns = Object.values(t.columns).sort((a, b) => compare(propertyNameOf(a), propertyNameOf(b)));
  for (const c of columns) {
    const type = edmTypeOf(c);
    w.empty('Property', {
      Name: propertyNameOf(c),
      Type: type,
      Nullable: c.logicalName === t.primaryIdAttribute ? 'false' : undefined,
      Unicode: type === 'Edm.String' ? 'false' : undefined,
      Scale: type === 'Edm.Decimal' ? 'Variable' : undefined,
    });
  }
  for (const n of navs) {
    // Partner only when the other side survived the clash check, so every Partner resolves.
    const partner = navNames.get(n.target)?.has(n.partner) ? n.partner : undefined;
    if (n.collection) {
      w.empty('NavigationProperty', { Name: n.name, Type: `Collection(${ALIAS}.${n.target})`, Partner: partner });
    } else {
      const referenced = byName.get(n.target)?.primaryIdAttribute ?? n.relationship.referencedAttribute;
      w.open('NavigationProperty', { Name: n.name, Type: `${ALIAS}.${n.target}`, Partner: partner });
      w.empty('ReferentialConstraint', { Property: `_${n.relationship.referencingAttribute}_value`, ReferencedProperty: referenced });
      w.close('NavigationProperty');
    }
  }
  writeAlternateKeys(w, t);
  w.close('EntityType');
}

function writeOperation(w: XmlWriter, op: OperationSpec): void {
  w.open(op.kind, { Name: op.name, IsBound: op.bound ? 'true' : undefined });
  for (const p of op.parameters) w.empty('Parameter', { Name: p.name, Type: p.type, Nullable: p.nullable ? undefined : 'false' });
  if (op.returns) w.empty('ReturnType', { Type: `${ALIAS}.${op.name}Response`, Nullable: 'false' });
  w.close(op.kind);
}

/** The `$metadata` CSDL document for any schema model. */
export function buildCsdl(schema: SchemaModel): string {
  const tables = [...schema.tables].sort((a, b) => compare(a.logicalName, b.logicalName));
  const byName = new Map(tables.map((t) => [t.logicalName, t]));
  const navs = navigationByTable(schema, tables);
  const navNames = new Map([...navs].map(([table, list]) => [table, new Set(list.map((n) => n.name))]));

  const w = new XmlWriter();
  w.raw('<?xml version="1.0" encoding="utf-8"?>');
  w.open('edmx:Edmx', { Version: '4.0', 'xmlns:edmx': 'http://docs.oasis-open.org/odata/ns/edmx' });
  w.open('edmx:Reference', { Uri: 'http://vocabularies.odata.org/OData.Community.Keys.V1.xml' });
  w.empty('edmx:Include', { Namespace: 'OData.Community.Keys.V1', Alias: 'Keys' });
  w.close('edmx:Reference');
  w.open('edmx:DataServices');
  w.open('Schema', { Namespace: NS, Alias: ALIAS, xmlns: 'http://docs.oasis-open.org/odata/ns/edm' });

  w.empty('EntityType', { Name: BASE_TYPE, Abstract: 'true' });
  for (const t of tables) writeEntityType(w, t, navs.get(t.logicalName) ?? [], navNames, byName);

  for (const op of implementedOperations) {
    if (!op.returns) continue;
    w.open('ComplexType', { Name: `${op.name}Response` });
    for (const p of op.returns) w.empty('Property', { Name: p.name, Type: p.type, Nullable: p.nullable ? undefined : 'false' });
    w.close('ComplexType');
  }
  for (const op of implementedOperations) writeOperation(w, op);

  w.open('EntityContainer', { Name: 'System' });
  for (const t of tables) {
    const list = navs.get(t.logicalName) ?? [];
    if (list.length === 0) {
      w.empty('EntitySet', { Name: t.entitySetName, EntityType: `${NS}.${t.logicalName}` });
      continue;
    }
    w.open('EntitySet', { Name: t.entitySetName, EntityType: `${NS}.${t.logicalName}` });
    for (const n of list) {
      const target = byName.get(n.target);
      if (target) w.empty('NavigationPropertyBinding', { Path: n.name, Target: target.entitySetName });
    }
    w.close('EntitySet');
  }
  for (const op of implementedOperations) {
    if (op.bound) continue;
    if (op.kind === 'Function') w.empty('FunctionImport', { Name: op.name, Function: `${NS}.${op.name}`, IncludeInServiceDocument: 'false' });
    else w.empty('ActionImport', { Name: op.name, Action: `${NS}.${op.name}` });
  }
  w.close('EntityContainer');

  w.close('Schema');
  w.close('edmx:DataServices');
  w.close('edmx:Edmx');
  return w.toString();
}

/**
 * The solution's other files, each in the shape Dataverse exports and the CustomizationsSolution.xsd sequence:
 * relationships, web resource and control metadata, environment variable definitions, webhook service endpoints and
 * steps, security roles.
 */
import type { RelationshipDef, SchemaModel } from '@pfb/domain';
import { create } from 'xmlbuilder2';
import type { ControlDefinition, WebResourceDefinition } from '../definition/clientComponents';
import type { EnvironmentVariableDefinition } from '../definition/environmentVariables';
import { braced } from '../definition/ids';
import type { SecurityRoleDefinition } from '../definition/securityRoles';
import { PLACEHOLDER_BRIDGE_ORIGIN, endpointUrl, type ServiceEndpointDefinition, type StepDefinition } from '../definition/webhooks';
import { privilegeName, tableSchemaName } from '../schema/platformNames';
import { SERVICE_ENDPOINT_TYPE_CODE } from '../schema/sdkMessages';
import { REFERENCED_ROLE, REFERENCING_ROLE } from './attributeCodec';
import { bit, LANGUAGE, labelList, serialize, textElement, textElements, xmlDocument, XSI, type XmlNode } from './xml';

function schemaNameOf(schema: SchemaModel, logicalName: string): string {
  const t = schema.table(logicalName);
  return t ? tableSchemaName(t) : logicalName;
}

/** One `<EntityRelationship>` (one-to-many) under `parent`. */
export function relationshipElement(parent: XmlNode, schema: SchemaModel, r: RelationshipDef, description: string, version: string): void {
  const parental = r.cascadeDelete === 'Cascade';
  const e = parent.ele('EntityRelationship', { Name: r.schemaName });
  textElements(e, [
    ['EntityRelationshipType', 'OneToMany'],
    ['IsCustomizable', '1'],
    ['IntroducedVersion', version],
    ['IsHierarchical', '0'],
    ['ReferencingEntityName', schemaNameOf(schema, r.referencingEntity)],
    ['ReferencedEntityName', schemaNameOf(schema, r.referencedEntity)],
    ['CascadeAssign', parental ? 'Cascade' : 'NoCascade'],
    ['CascadeDelete', r.cascadeDelete],
    ['CascadeReparent', parental ? 'Cascade' : 'NoCascade'],
    ['CascadeShare', parental ? 'Cascade' : 'NoCascade'],
    ['CascadeUnshare', parental ? 'Cascade' : 'NoCascade'],
    ['CascadeRollupView', 'NoCascade'],
    ['IsValidForAdvancedFind', '1'],
    ['ReferencingAttributeName', r.referencingAttribute],
  ]);
  labelList(e.ele('RelationshipDescription'), 'Descriptions', 'Description', description);
  const roles = e.ele('EntityRelationshipRoles');
  textElements(roles.ele('EntityRelationshipRole'), [
    ['NavPaneDisplayOption', 'UseCollectionName'],
    ['NavPaneArea', 'Details'],
    ['NavPaneOrder', 10000],
    ['NavigationPropertyName', r.referencingNavigationProperty],
    ['RelationshipRoleType', REFERENCING_ROLE],
  ]);
  textElements(roles.ele('EntityRelationshipRole'), [
    ['NavigationPropertyName', r.referencedNavigationProperty],
    ['RelationshipRoleType', REFERENCED_ROLE],
  ]);
}

/** Other/Relationships/<ReferencedEntity>.xml: the relationships whose parent is that table. */
export function renderRelationships(schema: SchemaModel, relationships: readonly RelationshipDef[], version: string): string {
  const root = xmlDocument('EntityRelationships', { 'xmlns:xsi': XSI });
  for (const r of relationships) {
    const column = schema.table(r.referencingEntity)?.columns[r.referencingAttribute];
    relationshipElement(root, schema, r, column?.description ?? '', version);
  }
  return serialize(root);
}

/** Other/Relationships.xml: the index of relationship names. */
export function renderRelationshipIndex(names: readonly string[]): string {
  const root = xmlDocument('EntityRelationships', { 'xmlns:xsi': XSI });
  for (const n of names) root.ele('EntityRelationship', { Name: n });
  return serialize(root);
}

/**
 * A web resource's DependencyXml: the libraries loaded with it, as the form and web resource editors write it
 * (`<Dependencies><Dependency componentType="WebResource"><Library … /></Dependency></Dependencies>`, stored as text).
 */
export function dependencyXml(w: WebResourceDefinition, all: readonly WebResourceDefinition[]): string {
  const doc = create().ele('Dependencies').ele('Dependency', { componentType: 'WebResource' });
  for (const name of w.dependencies) {
    const d = all.find((x) => x.name === name);
    if (!d) throw new Error(`Web resource ${w.name} depends on ${name}, which is not a web resource of the solution`);
    doc.ele('Library', { name: d.name, displayName: d.displayName, languagecode: d.languageCode === undefined ? '' : String(d.languageCode), description: d.description, libraryUniqueId: braced(d.id) });
  }
  return doc.end({ headless: true, prettyPrint: false });
}

/** WebResources/<name>.data.xml (FileName is the unpacked path; the packer rewrites it). */
export function renderWebResourceData(w: WebResourceDefinition, version: string, all: readonly WebResourceDefinition[] = [w]): string {
  const root = xmlDocument('WebResource', { 'xmlns:xsi': XSI });
  textElements(root, [
    ['WebResourceId', braced(w.id)],
    ['Name', w.name],
    ['DisplayName', w.displayName],
    ['Description', w.description],
  ]);
  if (w.languageCode !== undefined) textElement(root, 'LanguageCode', w.languageCode);
  textElements(root, [
    ['WebResourceType', w.type],
    ['IntroducedVersion', version],
    ['IsEnabledForMobileClient', '0'],
    ['IsAvailableForMobileOffline', '0'],
  ]);
  if (w.dependencies.length) textElement(root, 'DependencyXml', dependencyXml(w, all));
  textElements(root, [
    ['IsCustomizable', '1'],
    ['CanBeDeleted', '1'],
    ['IsHidden', '0'],
    ['FileName', `/WebResources/${w.name}`],
  ]);
  return serialize(root);
}

/** Controls/<name>/ControlManifest.xml.data.xml: the CustomControl entry of customizations.xml. */
export function renderControlData(c: ControlDefinition): string {
  const root = xmlDocument('CustomControl', { 'xmlns:xsi': XSI });
  textElements(root, [
    ['Name', c.name],
    ['FileName', `/Controls/${c.name}/ControlManifest.xml`],
  ]);
  return serialize(root);
}

/**
 * environmentvariabledefinitions/<schemaname>/environmentvariabledefinition.xml: elements in alphabetical order and
 * no XML declaration, as in the export in ../shared/reference/dataverse-exports/unpacked-solution-with-env-vars.
 */
export function renderEnvironmentVariable(v: EnvironmentVariableDefinition, version: string): string {
  const root = xmlDocument('environmentvariabledefinition', { schemaname: v.schemaName });
  if (v.defaultValue !== undefined) textElement(root, 'defaultvalue', v.defaultValue);
  root.ele('description', { default: v.description }).ele('label', { description: v.description, languagecode: String(LANGUAGE) });
  root.ele('displayname', { default: v.displayName }).ele('label', { description: v.displayName, languagecode: String(LANGUAGE) });
  textElements(root, [
    ['introducedversion', version],
    ['iscustomizable', '1'],
    ['isrequired', bit(v.isRequired)],
    ['secretstore', '0'],
    ['type', v.type],
  ]);
  return `${root.end({ headless: true, prettyPrint: true, indent: '  ', newline: '\n', spaceBeforeSlash: true })}\n`;
}

/** PluginAssemblies/ServiceEndpoints.xml: the webhook endpoints (authvalue is never in a solution file). */
export function renderServiceEndpoints(endpoints: readonly ServiceEndpointDefinition[]): string {
  const root = xmlDocument('ServiceEndpoints', { 'xmlns:xsi': XSI });
  for (const e of endpoints) {
    const el = root.ele('ServiceEndpoint', { ServiceEndpointId: braced(e.id), Name: e.name });
    textElements(el, [
      ['ConnectionMode', 1],
      ['Contract', e.contract],
      ['Description', e.description],
      ['UserClaim', 1],
      ['IsCustomizable', '1'],
      ['AuthType', e.authType],
      ['MessageFormat', e.messageFormat],
      ['Url', endpointUrl(PLACEHOLDER_BRIDGE_ORIGIN, e)],
    ]);
  }
  return serialize(root);
}

/** SdkMessageProcessingSteps/{id}.xml: one webhook step, handled by its service endpoint. */
export function renderStep(s: StepDefinition, version: string): string {
  const root = xmlDocument('SdkMessageProcessingStep', { Name: s.name, SdkMessageProcessingStepId: braced(s.id), 'xmlns:xsi': XSI });
  textElements(root, [
    ['PrimaryEntity', s.table.logicalName],
    ['AsyncAutoDelete', bit(s.asyncAutoDelete)],
    ['Description', s.description],
    ['FilteringAttributes', s.filteringAttributes.join(',')],
    ['InvocationSource', 1],
    ['Mode', s.mode],
    ['Rank', s.rank],
    ['SdkMessageId', s.messageId],
    ['EventHandler', braced(s.endpoint.id)],
    ['EventHandlerTypeCode', SERVICE_ENDPOINT_TYPE_CODE],
    ['Stage', s.stage],
    ['IsCustomizable', '1'],
    ['IsHidden', '0'],
    ['SupportedDeployment', s.supportedDeployment],
    ['IntroducedVersion', version],
  ]);
  const images = root.ele('SdkMessageProcessingStepImages');
  for (const i of s.images) {
    textElements(images.ele('SdkMessageProcessingStepImage', { Name: i.alias }), [
      ['SdkMessageProcessingStepImageId', braced(i.id)],
      ['Attributes', i.attributes.join(',')],
      ['EntityAlias', i.alias],
      ['ImageType', i.type],
      ['MessagePropertyName', i.messagePropertyName],
      ['IsCustomizable', '1'],
      ['IntroducedVersion', version],
    ]);
  }
  return serialize(root);
}

/** The role's privileges, one per right, sorted by name. */
export function rolePrivileges(r: SecurityRoleDefinition): Array<{ name: string; level: string }> {
  const out = new Map<string, string>();
  for (const g of r.grants) {
    for (const right of g.rights) {
      const name = privilegeName(right, g.table);
      if (out.has(name)) throw new Error(`Role ${r.name} grants ${name} twice`);
      out.set(name, g.level);
    }
  }
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, level]) => ({ name, level }));
}

/** Roles/<name>.xml. */
export function renderRole(r: SecurityRoleDefinition, version: string): string {
  const root = xmlDocument('Role', { name: r.name, id: braced(r.id), 'xmlns:xsi': XSI });
  textElements(root, [
    ['IsCustomizable', '1'],
    ['IntroducedVersion', version],
  ]);
  const list = root.ele('RolePrivileges');
  for (const p of rolePrivileges(r)) list.ele('RolePrivilege', { name: p.name, level: p.level });
  return serialize(root);
}

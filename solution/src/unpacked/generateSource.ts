/**
 * The solution source in the unpacked layout SolutionPackager and `pac solution unpack` use (dataverse-facts §6.2),
 * generated from the schema module and the definitions in ../definition: what `npm run generate -w @pfb/solution`
 * writes to solution/unpacked/ and what `npm run pack` compares it with, so the committed source, the local
 * Dataverse and the bridge cannot drift apart.
 *
 * Build outputs of other workspaces (web resource files, RibbonDiff of the ribbon tables, compiled controls) are not
 * source: they are mapped in when packing (inputs/buildOutputs.ts), as `pac solution pack --map` does.
 */
import type { SchemaModel } from '@pfb/domain';
import { CONTROLS, type ControlDefinition, type WebResourceDefinition } from '../definition/clientComponents';
import { ENVIRONMENT_VARIABLES, type EnvironmentVariableDefinition } from '../definition/environmentVariables';
import { MANIFEST, type SolutionManifest } from '../definition/manifest';
import { SECURITY_ROLES, type SecurityRoleDefinition } from '../definition/securityRoles';
import { globalOptionSets, RIBBON_TABLES, tableComponents, type TableComponent } from '../definition/tables';
import { SERVICE_ENDPOINTS, STEPS, type ServiceEndpointDefinition, type StepDefinition } from '../definition/webhooks';
import { webResourceInputs, type BuildOutputLocations } from '../inputs/buildOutputs';
import { ComponentType } from '../schema/platformTables';
import { tableSchemaName } from '../schema/platformNames';
import {
  renderControlData,
  renderEnvironmentVariable,
  renderRelationshipIndex,
  renderRelationships,
  renderRole,
  renderServiceEndpoints,
  renderStep,
  renderWebResourceData,
} from '../render/componentXml';
import { renderEmptyRibbonDiff, renderEntity, renderGlobalOptionSet } from '../render/entityXml';
import { renderCustomizationsSkeleton, renderSolutionXml, type RootComponent } from '../render/solutionXml';
import type { OptionSetDef, RelationshipDef } from '@pfb/domain';
import { organizationSchema } from '../schema/platformTables';

/** Everything the package carries, resolved from the schema and the definitions. */
export interface SolutionContents {
  readonly manifest: SolutionManifest;
  readonly schema: SchemaModel;
  readonly tables: readonly TableComponent[];
  readonly optionSets: readonly OptionSetDef[];
  readonly webResources: readonly WebResourceDefinition[];
  readonly controls: readonly ControlDefinition[];
  readonly environmentVariables: readonly EnvironmentVariableDefinition[];
  readonly serviceEndpoints: readonly ServiceEndpointDefinition[];
  readonly steps: readonly StepDefinition[];
  readonly roles: readonly SecurityRoleDefinition[];
}

export interface ContentsOptions {
  readonly schema?: SchemaModel;
  readonly locations?: BuildOutputLocations;
  /** Leave out the webhook registration (endpoints and steps). */
  readonly withoutWebhooks?: boolean;
  /** Leave out web resources, controls, ribbons, roles and variables: tables, columns, keys and choices only. */
  readonly schemaOnly?: boolean;
}

export function solutionContents(options: ContentsOptions = {}): SolutionContents {
  const schema = options.schema ?? organizationSchema;
  const schemaOnly = options.schemaOnly === true;
  const tables = tableComponents(schema, schemaOnly ? [] : RIBBON_TABLES);
  const noHooks = schemaOnly || options.withoutWebhooks === true;
  return {
    manifest: MANIFEST,
    schema,
    tables,
    optionSets: globalOptionSets(tables),
    webResources: schemaOnly ? [] : webResourceInputs(options.locations).map((w) => w.definition),
    controls: schemaOnly ? [] : CONTROLS,
    environmentVariables: schemaOnly ? [] : ENVIRONMENT_VARIABLES,
    serviceEndpoints: noHooks ? [] : SERVICE_ENDPOINTS,
    steps: noHooks ? [] : STEPS,
    roles: schemaOnly ? [] : SECURITY_ROLES,
  };
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** solution.xml's root components: entities (ours with subcomponents, others' with selected columns only), the rest by name or id. */
export function rootComponents(c: SolutionContents): RootComponent[] {
  const roots: RootComponent[] = [];
  for (const t of c.tables) roots.push({ type: ComponentType.Entity, schemaName: tableSchemaName(t.table), behavior: t.owned ? 0 : 2 });
  for (const o of c.optionSets) roots.push({ type: ComponentType.OptionSet, schemaName: o.name, behavior: 0 });
  for (const r of [...c.roles].sort((a, b) => byName(a.id, b.id))) roots.push({ type: ComponentType.Role, id: r.id, behavior: 0 });
  for (const w of [...c.webResources].sort((a, b) => byName(a.name, b.name))) roots.push({ type: ComponentType.WebResource, schemaName: w.name, behavior: 0 });
  for (const x of [...c.controls].sort((a, b) => byName(a.name, b.name))) roots.push({ type: ComponentType.CustomControl, schemaName: x.name, behavior: 0 });
  for (const s of [...c.steps].sort((a, b) => byName(a.id, b.id))) roots.push({ type: ComponentType.SdkMessageProcessingStep, id: s.id, behavior: 0 });
  for (const e of [...c.serviceEndpoints].sort((a, b) => byName(a.id, b.id))) roots.push({ type: ComponentType.ServiceEndpoint, id: e.id, behavior: 0 });
  for (const v of [...c.environmentVariables].sort((a, b) => byName(a.schemaName, b.schemaName))) {
    roots.push({ type: ComponentType.EnvironmentVariableDefinition, schemaName: v.schemaName, behavior: 0 });
  }
  return roots;
}

/** Relationships grouped by parent table (Other/Relationships/<Parent>.xml), each group and name sorted. */
export function relationshipsByParent(c: SolutionContents): Map<string, RelationshipDef[]> {
  const groups = new Map<string, RelationshipDef[]>();
  for (const t of c.tables) {
    for (const r of t.relationships) {
      const parent = c.schema.table(r.referencedEntity);
      const key = parent ? tableSchemaName(parent) : r.referencedEntity;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
  }
  for (const list of groups.values()) list.sort((a, b) => byName(a.schemaName, b.schemaName));
  return new Map([...groups.entries()].sort(([a], [b]) => byName(a, b)));
}

/** The unpacked source: path (with `/`) → file text. */
export function generateSource(c: SolutionContents = solutionContents()): Map<string, string> {
  const v = c.manifest.version;
  const files = new Map<string, string>();
  files.set('Other/Solution.xml', renderSolutionXml(c.manifest, 2, rootComponents(c), { bom: true }));
  files.set('Other/Customizations.xml', renderCustomizationsSkeleton());

  const groups = relationshipsByParent(c);
  files.set('Other/Relationships.xml', renderRelationshipIndex([...groups.values()].flat().map((r) => r.schemaName).sort(byName)));
  for (const [parent, list] of groups) files.set(`Other/Relationships/${parent}.xml`, renderRelationships(c.schema, list, v));

  for (const t of c.tables) {
    const dir = `Entities/${tableSchemaName(t.table)}`;
    files.set(`${dir}/Entity.xml`, renderEntity(t, v));
    // Tables whose ribbon we extend get theirs from the web resource build at pack time.
    if (!t.ribbon) files.set(`${dir}/RibbonDiff.xml`, renderEmptyRibbonDiff());
  }
  for (const o of c.optionSets) files.set(`OptionSets/${o.name}.xml`, renderGlobalOptionSet(o, v));
  for (const r of c.roles) files.set(`Roles/${r.name}.xml`, renderRole(r, v));
  for (const w of c.webResources) files.set(`WebResources/${w.name}.data.xml`, renderWebResourceData(w, v, c.webResources));
  for (const x of c.controls) files.set(`Controls/${x.name}/ControlManifest.xml.data.xml`, renderControlData(x));
  for (const e of c.environmentVariables) files.set(`environmentvariabledefinitions/${e.schemaName}/environmentvariabledefinition.xml`, renderEnvironmentVariable(e, v));
  if (c.serviceEndpoints.length) files.set('PluginAssemblies/ServiceEndpoints.xml', renderServiceEndpoints(c.serviceEndpoints));
  for (const s of c.steps) files.set(`SdkMessageProcessingSteps/{${s.id}}.xml`, renderStep(s, v));
  return new Map([...files.entries()].sort(([a], [b]) => byName(a, b)));
}

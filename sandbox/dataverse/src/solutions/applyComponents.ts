/**
 * The non-metadata components of a solution, written as the rows Dataverse keeps them in: the publisher and the
 * solution with its components, web resources (content base64), code components (customcontrol, with their bundle
 * and strings as cc_<control>/… web resources), environment variable definitions, webhook service endpoints and
 * their steps and images, security roles and their privileges. Each component is matched by its id (or unique name)
 * so importing again updates it instead of adding a second one.
 */
import { businessunit, sdkmessage, sdkmessagefilter, sdkmessageprocessingstep, sdkmessageprocessingstepimage, serviceendpoint, type TableDef } from '@pfb/domain';
import {
  PrivilegeDepth,
  SDK_MESSAGE_IDS_DOCUMENTED,
  SERVICE_ENDPOINT_TYPE_CODE,
  child,
  children,
  controlResourceName,
  customcontrol,
  environmentvariabledefinition,
  parseElementTree,
  privilege,
  publisher,
  role,
  roleprivileges,
  solution,
  solutioncomponent,
  unbraced,
  webResourceTypeOf,
  webresource,
  type Element,
} from '@pfb/solution';
import type { OperationContext } from '../pipeline/context';
import type { OrganizationService } from '../pipeline/organizationService';
import { seedId } from '../seed/ids';
import type { Attributes } from '../store/types';
import { importError } from '../metadata/metadataService';
import { textOf, type SolutionPackageFile } from './readPackage';

export interface ComponentCounts {
  webResources: number;
  controls: number;
  environmentVariables: number;
  serviceEndpoints: number;
  steps: number;
  roles: number;
}

interface Writer {
  readonly svc: OrganizationService;
  readonly ctx: OperationContext;
}

const ref = (t: TableDef, id: string): { logicalName: string; id: string } => ({ logicalName: t.logicalName, id });

function requireTable(w: Writer, t: TableDef, what: string): void {
  if (!w.svc.schema.table(t.logicalName)) {
    throw importError(
      `The solution contains ${what}, but this local Dataverse was started without the solution framework (no ${t.logicalName} table): start it with solution 'none', 'package' or 'full' (startDataverse) or --solution none|package|full.`,
    );
  }
}

/** Creates the row with this id, or updates it when it exists. Returns the id. */
function upsert(w: Writer, t: TableDef, id: string, attributes: Attributes): string {
  const existing = w.svc.store.get(t.logicalName, id);
  if (existing) w.svc.update(w.ctx, t.logicalName, id, attributes);
  else w.svc.create(w.ctx, t.logicalName, { ...attributes, [t.primaryIdAttribute]: id });
  return id;
}

/** The first row whose `column` equals `value` (case-insensitive, as Dataverse's collation compares names). */
function findByName(w: Writer, t: TableDef, column: string, value: string): Attributes | undefined {
  return w.svc.store.select(t.logicalName, `t0."${column}" = ? COLLATE NOCASE`, [value], 'LIMIT 1')[0];
}

function rootBusinessUnit(w: Writer): string {
  const root = w.svc.store.select(businessunit.logicalName, 't0."parentbusinessunitid" IS NULL', [], 'ORDER BY t0."createdon" LIMIT 1')[0];
  if (!root) throw importError('This organization has no root business unit to own the imported roles.');
  return root[businessunit.primaryIdAttribute] as string;
}

/** The publisher and the solution rows; refuses a managed package over an unmanaged solution of the same name and vice versa. */
export function applySolutionRecord(w: Writer, pkg: SolutionPackageFile, now: string): string | undefined {
  if (!w.svc.schema.table(solution.logicalName)) return undefined;
  const m = pkg.manifest;
  const existing = findByName(w, solution, 'uniquename', m.uniqueName);
  if (existing && existing['ismanaged'] !== m.managed) {
    throw importError(
      m.managed
        ? `The solution ${m.uniqueName} is already installed on this system as an unmanaged solution and the package you are trying to install is managed. Import the unmanaged package to update it, or delete the unmanaged solution first.`
        : `The solution ${m.uniqueName} is already installed on this system as a managed solution and the package you are trying to install is unmanaged. Import the managed package to upgrade it.`,
    );
  }
  const pub = findByName(w, publisher, 'uniquename', m.publisher.uniqueName);
  const publisherId = upsert(w, publisher, (pub?.[publisher.primaryIdAttribute] as string | undefined) ?? seedId(`publisher:${m.publisher.uniqueName.toLowerCase()}`), {
    uniquename: m.publisher.uniqueName,
    friendlyname: m.publisher.displayName || m.publisher.uniqueName,
    customizationprefix: m.publisher.prefix,
    customizationoptionvalueprefix: Number.isFinite(m.publisher.optionValuePrefix) ? m.publisher.optionValuePrefix : null,
    description: m.publisher.description || null,
  });
  const solutionId = (existing?.[solution.primaryIdAttribute] as string | undefined) ?? seedId(`solution:${m.uniqueName.toLowerCase()}`);
  upsert(w, solution, solutionId, {
    uniquename: m.uniqueName,
    friendlyname: m.displayName,
    version: m.version,
    ismanaged: m.managed,
    isvisible: true,
    publisherid: ref(publisher, publisherId),
    installedon: now,
    description: m.description || null,
  });
  // The solution's components are what this import lists: replace the previous version's.
  for (const c of w.svc.store.select(solutioncomponent.logicalName, 't0."solutionid" = ?', [solutionId])) {
    w.svc.delete(w.ctx, solutioncomponent.logicalName, c[solutioncomponent.primaryIdAttribute] as string);
  }
  for (const rc of pkg.rootComponents) {
    const objectId = rc.id ?? rc.schemaName ?? '';
    w.svc.create(w.ctx, solutioncomponent.logicalName, {
      solutioncomponentid: seedId(`solutioncomponent:${solutionId}:${rc.type}:${objectId.toLowerCase()}`),
      solutionid: ref(solution, solutionId),
      componenttype: rc.type,
      objectid: objectId,
      rootcomponentbehavior: rc.behavior,
      ismetadata: rc.type === 1 || rc.type === 2 || rc.type === 9 || rc.type === 10 || rc.type === 14,
    });
  }
  return solutionId;
}

export function applyWebResources(w: Writer, pkg: SolutionPackageFile): number {
  if (pkg.webResources.length) requireTable(w, webresource, 'web resources');
  for (const r of pkg.webResources) {
    const byName = findByName(w, webresource, 'name', r.name);
    const existingId = byName?.[webresource.primaryIdAttribute] as string | undefined;
    if (existingId && existingId !== r.id) throw importError(`A web resource named ${r.name} already exists with another id (${existingId}).`);
    upsert(w, webresource, r.id, {
      name: r.name,
      displayname: r.displayName || null,
      description: r.description || null,
      webresourcetype: r.type,
      content: r.content.toString('base64'),
      languagecode: r.languageCode ?? null,
      dependencyxml: r.dependencyXml ?? null,
    });
  }
  return pkg.webResources.length;
}

export function applyControls(w: Writer, pkg: SolutionPackageFile): number {
  if (pkg.controls.length) requireTable(w, customcontrol, 'code components');
  for (const c of pkg.controls) {
    let manifest: Element;
    try {
      manifest = parseElementTree(c.manifest);
    } catch (e) {
      throw importError(`Control ${c.name}: ControlManifest.xml is not well-formed XML (${(e as Error).message}).`);
    }
    const control = child(manifest, 'control');
    if (manifest.name !== 'manifest' || !control) throw importError(`Control ${c.name}: ControlManifest.xml is not <manifest><control …>.`);
    const code = child(child(control, 'resources'), 'code')?.attributes['path'];
    if (!code || !c.files.has(code)) throw importError(`Control ${c.name}: its code ${code ?? '(no <code path>)'} is not in the solution.`);
    const dataTypes = children(control, 'property')
      .map((p) => p.attributes['of-type'])
      .filter((x): x is string => Boolean(x));
    const existing = findByName(w, customcontrol, 'name', c.name);
    upsert(w, customcontrol, (existing?.[customcontrol.primaryIdAttribute] as string | undefined) ?? seedId(`customcontrol:${c.name.toLowerCase()}`), {
      name: c.name,
      manifest: c.manifest,
      version: control.attributes['version'] ?? null,
      compatibledatatypes: dataTypes.length ? [...new Set(dataTypes)].join(',') : null,
    });
    for (const [path, bytes] of c.files) {
      const type = webResourceTypeOf(path);
      if (type === undefined) continue;
      const name = controlResourceName(c, path);
      const existingResource = findByName(w, webresource, 'name', name);
      upsert(w, webresource, (existingResource?.[webresource.primaryIdAttribute] as string | undefined) ?? seedId(`webresource:${name.toLowerCase()}`), {
        name,
        webresourcetype: type,
        content: bytes.toString('base64'),
      });
    }
  }
  return pkg.controls.length;
}

export function applyEnvironmentVariables(w: Writer, pkg: SolutionPackageFile): number {
  if (pkg.environmentVariables.length) requireTable(w, environmentvariabledefinition, 'environment variables');
  for (const v of pkg.environmentVariables) {
    const existing = findByName(w, environmentvariabledefinition, 'schemaname', v.schemaName);
    upsert(w, environmentvariabledefinition, (existing?.[environmentvariabledefinition.primaryIdAttribute] as string | undefined) ?? seedId(`environmentvariabledefinition:${v.schemaName.toLowerCase()}`), {
      schemaname: v.schemaName,
      displayname: v.displayName,
      description: v.description || null,
      type: v.type,
      defaultvalue: v.defaultValue ?? null,
      isrequired: v.isRequired,
      introducedversion: v.introducedVersion ?? null,
    });
  }
  return pkg.environmentVariables.length;
}

const num = (e: Element, name: string, fallback: number): number => {
  const t = textOf(e, name);
  return t === undefined || t === '' ? fallback : Number(t);
};

export function applyServiceEndpoints(w: Writer, customizations: Element): number {
  const endpoints = children(child(customizations, 'ServiceEndpoints'), 'ServiceEndpoint');
  for (const e of endpoints) {
    const id = unbraced(e.attributes['ServiceEndpointId']);
    if (!id) throw importError('A ServiceEndpoint has no ServiceEndpointId.');
    upsert(w, serviceendpoint, id, {
      name: e.attributes['Name'] ?? id,
      contract: num(e, 'Contract', 8),
      url: textOf(e, 'Url') ?? null,
      authtype: num(e, 'AuthType', 4),
      messageformat: num(e, 'MessageFormat', 2),
      description: textOf(e, 'Description') ?? e.attributes['Description'] ?? null,
      path: textOf(e, 'Path') ?? null,
      solutionnamespace: textOf(e, 'SolutionNamespace') ?? null,
      namespaceaddress: textOf(e, 'NamespaceAddress') ?? null,
    });
  }
  return endpoints.length;
}

/**
 * The organization's message for a step's `<SdkMessageId>`. Message ids are the same in every real organization;
 * the local Dataverse's seed gives its messages ids of its own, so Microsoft's documented ids are matched by the
 * message's name (a documented difference).
 */
function messageIdOf(w: Writer, id: string | undefined): string | undefined {
  if (!id) return undefined;
  if (w.svc.store.get(sdkmessage.logicalName, id)) return id;
  const name = Object.entries(SDK_MESSAGE_IDS_DOCUMENTED).find(([, documented]) => documented === id)?.[0];
  const row = name ? w.svc.store.findBy(sdkmessage.logicalName, { name }) : undefined;
  return row ? (row[sdkmessage.primaryIdAttribute] as string) : undefined;
}

export function applySteps(w: Writer, customizations: Element): number {
  const steps = children(child(customizations, 'SdkMessageProcessingSteps'), 'SdkMessageProcessingStep');
  for (const s of steps) {
    const id = unbraced(s.attributes['SdkMessageProcessingStepId']);
    const name = s.attributes['Name'] ?? id ?? '';
    if (!id) throw importError('A SdkMessageProcessingStep has no SdkMessageProcessingStepId.');
    if (num(s, 'EventHandlerTypeCode', SERVICE_ENDPOINT_TYPE_CODE) !== SERVICE_ENDPOINT_TYPE_CODE) {
      throw importError(`Step ${name} is handled by a plug-in type; the local Dataverse runs webhook (service endpoint) steps only.`);
    }
    const messageId = messageIdOf(w, unbraced(textOf(s, 'SdkMessageId')));
    const table = (textOf(s, 'PrimaryEntity') ?? '').toLowerCase();
    const handler = unbraced(textOf(s, 'EventHandler'));
    if (!messageId) throw importError(`Step ${name}: the SDK message ${textOf(s, 'SdkMessageId') ?? '(none)'} does not exist in this organization.`);
    if (!handler || !w.svc.store.get(serviceendpoint.logicalName, handler)) throw importError(`Step ${name}: its service endpoint ${textOf(s, 'EventHandler') ?? '(none)'} is neither in the solution nor in this organization.`);
    const filter = w.svc.store.select(sdkmessagefilter.logicalName, 't0."sdkmessageid" = ? AND t0."primaryobjecttypecode" = ?', [messageId, table], 'LIMIT 1')[0];
    if (!filter) throw importError(`Step ${name}: its message is not available for the table ${table} (no sdkmessagefilter).`);
    upsert(w, sdkmessageprocessingstep, id, {
      name,
      description: textOf(s, 'Description') || null,
      sdkmessageid: ref(sdkmessage, messageId),
      sdkmessagefilterid: ref(sdkmessagefilter, filter[sdkmessagefilter.primaryIdAttribute] as string),
      eventhandler: ref(serviceendpoint, handler),
      stage: num(s, 'Stage', 40),
      mode: num(s, 'Mode', 0),
      rank: num(s, 'Rank', 1),
      filteringattributes: textOf(s, 'FilteringAttributes') || null,
      asyncautodelete: textOf(s, 'AsyncAutoDelete') === '1',
      supporteddeployment: num(s, 'SupportedDeployment', 0),
      configuration: textOf(s, 'Configuration') || null,
    });
    for (const i of children(child(s, 'SdkMessageProcessingStepImages'), 'SdkMessageProcessingStepImage')) {
      const imageId = unbraced(textOf(i, 'SdkMessageProcessingStepImageId')) ?? seedId(`sdkmessageprocessingstepimage:${id}:${i.attributes['Name'] ?? ''}`);
      upsert(w, sdkmessageprocessingstepimage, imageId, {
        name: i.attributes['Name'] ?? textOf(i, 'EntityAlias') ?? null,
        sdkmessageprocessingstepid: ref(sdkmessageprocessingstep, id),
        imagetype: num(i, 'ImageType', 0),
        entityalias: textOf(i, 'EntityAlias') ?? i.attributes['Name'] ?? '',
        attributes: textOf(i, 'Attributes') || null,
        messagepropertyname: textOf(i, 'MessagePropertyName') ?? 'Target',
        description: textOf(i, 'Description') || null,
      });
    }
  }
  return steps.length;
}

export function applyRoles(w: Writer, pkg: SolutionPackageFile): number {
  if (pkg.roles.length === 0) return 0;
  requireTable(w, role, 'security roles');
  const bu = rootBusinessUnit(w);
  for (const r of pkg.roles) {
    upsert(w, role, r.id, { name: r.name, businessunitid: ref(businessunit, bu) });
    for (const old of w.svc.store.select(roleprivileges.logicalName, 't0."roleid" = ?', [r.id])) {
      w.svc.delete(w.ctx, roleprivileges.logicalName, old[roleprivileges.primaryIdAttribute] as string);
    }
    for (const p of r.privileges) {
      const depth = PrivilegeDepth[p.level as keyof typeof PrivilegeDepth];
      if (!depth) throw importError(`Role ${r.name}: privilege ${p.name} has level '${p.level}'; the levels are Basic, Local, Deep and Global.`);
      const row = findByName(w, privilege, 'name', p.name);
      if (!row) throw importError(`Role ${r.name}: the privilege ${p.name} does not exist in this organization (its table is missing or the name is wrong).`);
      if (depth !== PrivilegeDepth.Global && row['canbebasic'] !== true) {
        throw importError(`Role ${r.name}: ${p.name} belongs to an organization-owned table, so it can only be granted at the Global level, not ${p.level}.`);
      }
      const privilegeId = row[privilege.primaryIdAttribute] as string;
      w.svc.create(w.ctx, roleprivileges.logicalName, {
        roleprivilegeid: seedId(`roleprivilege:${r.id}:${privilegeId}`),
        roleid: ref(role, r.id),
        privilegeid: ref(privilege, privilegeId),
        privilegedepthmask: depth,
      });
    }
  }
  return pkg.roles.length;
}

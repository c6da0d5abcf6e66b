/**
 * ImportSolution (unbound action; "ImportSolution Action" in the Web API reference): `POST ImportSolution` with
 * `CustomizationFile` (Edm.Binary: the zip, base64), `OverwriteUnmanagedCustomizations`, `PublishWorkflows` (both
 * Edm.Boolean, not nullable) and `ImportJobId` (Edm.Guid). It answers 204 No Content — the action returns no
 * value — after the whole import committed, or an error and nothing imported: metadata, components and the
 * import job run in the request's one transaction.
 *
 * The local Dataverse imports what the product's package contains: tables, columns, keys, choices and
 * relationships; web resources; code components; environment variable definitions; webhook service endpoints and
 * their steps; security roles. Workflows, forms, views, plug-in assemblies and the rest of the schema are refused
 * by name rather than ignored, so nothing is silently dropped.
 */
import { randomUUID } from 'node:crypto';
import { importjob } from '@pfb/solution';
import type { LocalDataverse } from '../dataverse';
import type { MetadataService } from '../metadata/metadataService';
import { importError } from '../metadata/metadataService';
import type { OperationContext } from '../pipeline/context';
import { isGuid } from '../pipeline/validateAttributes';
import { errors } from '../protocol/errors';
import { parseJsonBody } from '../web/handlers/handlerContext';
import { noContent } from '../web/response';
import type { UnboundOperation } from '../web/router';
import { applyControls, applyEnvironmentVariables, applyRoles, applyServiceEndpoints, applySolutionRecord, applySteps, applyWebResources, type ComponentCounts } from './applyComponents';
import { tableChangesOf } from './entityMetadata';
import { readSolutionPackage, type SolutionPackageFile } from './readPackage';

export interface ImportOptions {
  readonly overwriteUnmanagedCustomizations: boolean;
  readonly publishWorkflows: boolean;
  readonly importJobId?: string;
}

export interface ImportResult extends ComponentCounts {
  readonly solution: string;
  readonly version: string;
  readonly managed: boolean;
  readonly importJobId: string;
  readonly tablesCreated: readonly string[];
  readonly tablesExtended: readonly string[];
}

/** customizations.xml sections the local Dataverse does not import: refused with the component's name. */
const UNSUPPORTED_SECTIONS: Readonly<Record<string, string>> = {
  Workflows: 'processes (workflows, cloud flows)',
  FieldSecurityProfiles: 'field security profiles',
  EntityMaps: 'entity maps',
  SolutionPluginAssemblies: 'plug-in assemblies',
  AppModules: 'model-driven apps',
  AppModuleSiteMaps: 'site maps',
  Dashboards: 'dashboards',
  Reports: 'reports',
};

function refuseUnsupported(pkg: SolutionPackageFile): void {
  for (const section of pkg.customizations.children) {
    const what = UNSUPPORTED_SECTIONS[section.name];
    if (what && section.children.length > 0) throw importError(`The solution contains ${what} (${section.name}), which the local Dataverse does not import.`);
  }
  for (const e of pkg.customizations.children.find((c) => c.name === 'Entities')?.children ?? []) {
    for (const part of ['FormXml', 'SavedQueries', 'Visualizations']) {
      const el = e.children.find((c) => c.name === part);
      if (el && el.children.length > 0) throw importError(`The solution contains ${part} for ${e.children.find((c) => c.name === 'Name')?.text ?? 'a table'}, which the local Dataverse does not import.`);
    }
  }
}

function importLog(pkg: SolutionPackageFile, result: Omit<ImportResult, 'importJobId'>, started: string, completed: string): string {
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const m = pkg.manifest;
  return (
    `<importexportxml start="${started}" stop="${completed}" progress="100" processed="true">` +
    `<solutionManifests><solutionManifest languagecode="1033" id="${esc(m.uniqueName)}" LocalizedName="${esc(m.displayName)}" Version="${esc(m.version)}" Managed="${m.managed ? 1 : 0}">` +
    `<result result="success" errorcode="0" errortext="" /></solutionManifest></solutionManifests>` +
    `<entities created="${esc(result.tablesCreated.join(','))}" extended="${esc(result.tablesExtended.join(','))}" />` +
    `<components webresources="${result.webResources}" customcontrols="${result.controls}" environmentvariables="${result.environmentVariables}" serviceendpoints="${result.serviceEndpoints}" steps="${result.steps}" roles="${result.roles}" />` +
    `</importexportxml>`
  );
}

/**
 * Imports a solution zip in the caller's transaction (throws a DataverseError, and leaves the metadata as it was,
 * when anything is wrong). Used by the action and by the local Dataverse's start.
 */
export function importSolution(dv: LocalDataverse, metadata: MetadataService, zip: Uint8Array, options: ImportOptions, ctx: OperationContext): ImportResult {
  const pkg = readSolutionPackage(zip);
  refuseUnsupported(pkg);
  const before = dv.schema.tables;
  const started = dv.service.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  try {
    const changes = tableChangesOf(pkg.customizations, pkg.manifest, dv.schema, metadata.createdTables());
    const w = { svc: dv.service, ctx };
    // A managed/unmanaged conflict is found before anything changes.
    applySolutionRecord(w, pkg, started);
    const { created, extended } = metadata.apply(changes, dv.service, ctx);
    const counts: ComponentCounts = {
      webResources: applyWebResources(w, pkg),
      controls: applyControls(w, pkg),
      environmentVariables: applyEnvironmentVariables(w, pkg),
      serviceEndpoints: applyServiceEndpoints(w, pkg.customizations),
      steps: applySteps(w, pkg.customizations),
      roles: applyRoles(w, pkg),
    };
    const importJobId = options.importJobId ?? randomUUID();
    const result = { solution: pkg.manifest.uniqueName, version: pkg.manifest.version, managed: pkg.manifest.managed, tablesCreated: created, tablesExtended: extended, ...counts };
    if (dv.schema.table(importjob.logicalName)) {
      if (dv.store.get(importjob.logicalName, importJobId)) throw errors.duplicateRecord(importjob.logicalName, importJobId);
      const completed = dv.service.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
      dv.service.create(ctx, importjob.logicalName, {
        importjobid: importJobId,
        name: `${pkg.manifest.uniqueName} ${pkg.manifest.version}`,
        solutionname: pkg.manifest.uniqueName,
        data: importLog(pkg, result, started, completed),
        progress: 100,
        startedon: started,
        completedon: completed,
        importcontext: 'ImportSolution',
        operationcontext: options.overwriteUnmanagedCustomizations ? 'OverwriteUnmanagedCustomizations' : 'KeepUnmanagedCustomizations',
      });
    }
    return { ...result, importJobId };
  } catch (e) {
    if (dv.schema.tables !== before) dv.schema.replace(before);
    throw e;
  }
}

/** Edm.Binary in JSON: base64 text (standard alphabet, padding optional). */
function decodeBinary(value: unknown): Buffer | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

const missing = (name: string, type: string): never => {
  throw errors.badRequest(`The parameter '${name}' of type '${type}' is required for the action 'ImportSolution' and was not provided.`, '0x80048d19');
};

export function importSolutionAction(dv: LocalDataverse, metadata: MetadataService): UnboundOperation {
  return (h) => {
    if (h.request.method !== 'POST') throw errors.methodNotAllowed(h.request.method, 'ImportSolution');
    const body = parseJsonBody(h.request.body);
    const overwrite = body['OverwriteUnmanagedCustomizations'];
    const publish = body['PublishWorkflows'];
    const jobId = body['ImportJobId'];
    if (body['CustomizationFile'] === undefined || body['CustomizationFile'] === null) missing('CustomizationFile', 'Edm.Binary');
    if (overwrite === undefined || overwrite === null) missing('OverwriteUnmanagedCustomizations', 'Edm.Boolean');
    if (publish === undefined || publish === null) missing('PublishWorkflows', 'Edm.Boolean');
    if (jobId === undefined || jobId === null) missing('ImportJobId', 'Edm.Guid');
    if (typeof overwrite !== 'boolean' || typeof publish !== 'boolean') {
      throw errors.badRequest("Cannot convert the literal to the expected type 'Edm.Boolean' for OverwriteUnmanagedCustomizations or PublishWorkflows.", '0x80048d19');
    }
    if (typeof jobId !== 'string' || !isGuid(jobId)) throw errors.badRequest(`Cannot convert the literal '${String(jobId)}' to the expected type 'Edm.Guid' for ImportJobId.`, '0x80048d19');
    const zip = decodeBinary(body['CustomizationFile']);
    if (!zip) throw errors.badRequest("Cannot convert the literal to the expected type 'Edm.Binary' for CustomizationFile: send the zip as base64.", '0x80048d19');
    importSolution(dv, metadata, zip, { overwriteUnmanagedCustomizations: overwrite, publishWorkflows: publish, importJobId: jobId.toLowerCase() }, h.op);
    return noContent();
  };
}

/**
 * Configures one environment after the package is imported, through the Web API only, and is safe to run again:
 * 1. checks Project Operations and Field Service are installed (their tables answer; Field Service's booking status
 *    column exists) and that ProjectFieldBridge is imported;
 * 2. creates the booking status rows of the field stages (domain: fieldStageBookingStatusRows), found again by
 *    pfb_fieldstage, and repairs their status values if someone changed them;
 * 3. points the webhook service endpoints at this environment's bridge and sets their key (authtype WebhookKey:
 *    Dataverse appends ?code=<key>; the key can never be read back, so it is written whenever given);
 * 4. enables the webhook steps if an admin disabled them;
 * 5. sets the environment variable values.
 * Every step reports what it changed in words; nothing is changed twice. Failures name the cause and the next step.
 */
import {
  ServiceEndpointAuthType,
  bookingstatus,
  fieldStageBookingStatusRows,
  msdyn_operationset,
  msdyn_project,
  msdyn_projecttask,
  msdyn_workorder,
  sdkmessageprocessingstep,
  serviceendpoint,
  StepState,
  StepStatus,
  bookingSystemStatusOptionSet,
  fieldStageOptionSet,
  type FieldStageBookingStatusRow,
  type OptionSetDef,
} from '@pfb/domain';
import { ENVIRONMENT_VARIABLES } from '../definition/environmentVariables';
import { MANIFEST } from '../definition/manifest';
import { PLACEHOLDER_BRIDGE_ORIGIN, SERVICE_ENDPOINTS, STEPS, endpointUrl } from '../definition/webhooks';
import { environmentvariabledefinition, environmentvariablevalue, solution } from '../schema/platformTables';
import { literal, WebApiError, type Row, type WebApi } from './webApi';

export interface SetupOptions {
  /** Origin of this environment's bridge, e.g. https://pfb-bridge-prod.azurewebsites.net */
  readonly bridgeUrl?: string;
  /** The bridge's DATAVERSE_WEBHOOK_KEY. */
  readonly webhookKey?: string;
  /** Values of environment variables by setup flag (bridge-url, mobility-url). */
  readonly variables?: Readonly<Record<string, string | undefined>>;
}

export interface SetupReport {
  /** What was found (installed applications, the solution's version). */
  readonly checks: string[];
  /** What this run changed. */
  readonly changes: string[];
  /** What is still missing for the product to work. */
  readonly warnings: string[];
}

/** A setup failure: what went wrong and what to do next. */
export class SetupError extends Error {
  constructor(
    readonly reason: string,
    readonly next: string,
  ) {
    super(`${reason} Next: ${next}`);
    this.name = 'SetupError';
  }
}

const values = (r: Row): Row[] => (r['value'] as Row[] | undefined) ?? [];
const labelOf = (os: OptionSetDef, value: unknown): string => os.options.find((o) => o.value === value)?.label ?? String(value);

/** A table the application installs answers a query; a missing one is "Resource not found for the segment". */
async function answers(api: WebApi, path: string, operation: string): Promise<boolean> {
  try {
    await api.get(path, operation);
    return true;
  } catch (e) {
    if (e instanceof WebApiError && (e.notFoundSegment || e.unknownProperty)) return false;
    throw e;
  }
}

async function checkConnection(api: WebApi): Promise<void> {
  try {
    await api.get('WhoAmI', 'WhoAmI');
  } catch (e) {
    if (!(e instanceof WebApiError)) throw e;
    if (e.status === 401 || e.status === 403) {
      throw new SetupError(
        `Dataverse at ${api.serviceRoot} refused the token (HTTP ${e.status}).`,
        `get a token for the environment (e.g. az account get-access-token --resource ${new URL(api.serviceRoot).origin} --query accessToken -o tsv) as a user with the System Administrator or System Customizer role, and pass it with --token or DATAVERSE_TOKEN.`,
      );
    }
    if (e.status === undefined) throw new SetupError(`${e.dataverseMessage}.`, 'check --url (the environment URL, e.g. https://contoso.crm.dynamics.com) and the network.');
    throw new SetupError(`Dataverse at ${api.serviceRoot} answered WhoAmI with HTTP ${e.status}: ${e.dataverseMessage}`, 'check --url points at a Dataverse environment.');
  }
}

async function checkApplications(api: WebApi, report: SetupReport): Promise<void> {
  const top = (set: string, id: string): string => `${set}?$select=${id}&$top=1`;
  const po =
    (await answers(api, top(msdyn_project.entitySetName, msdyn_project.primaryIdAttribute), 'check Project Operations: projects')) &&
    (await answers(api, top(msdyn_projecttask.entitySetName, msdyn_projecttask.primaryIdAttribute), 'check Project Operations: project tasks')) &&
    (await answers(api, top(msdyn_operationset.entitySetName, msdyn_operationset.primaryIdAttribute), 'check Project Operations: schedule API operation sets'));
  if (!po) {
    throw new SetupError(
      'Dynamics 365 Project Operations is not installed in this environment (its project, project task or schedule API tables are missing).',
      'install Project Operations from the Power Platform admin center (Resources > Dynamics 365 apps), import the Project Field Bridge solution, then run setup again.',
    );
  }
  report.checks.push(`Project Operations is installed (${msdyn_project.entitySetName}, ${msdyn_projecttask.entitySetName}, ${msdyn_operationset.entitySetName} answer).`);
  const fs =
    (await answers(api, top(msdyn_workorder.entitySetName, msdyn_workorder.primaryIdAttribute), 'check Field Service: work orders')) &&
    (await answers(api, `${bookingstatus.entitySetName}?$select=${bookingstatus.columns.msdyn_fieldservicestatus.logicalName}&$top=1`, 'check Field Service: booking status'));
  if (!fs) {
    throw new SetupError(
      'Dynamics 365 Field Service is not installed in this environment (work orders, or the Field Service status of booking statuses, are missing).',
      'install Field Service from the Power Platform admin center (Resources > Dynamics 365 apps), import the Project Field Bridge solution, then run setup again.',
    );
  }
  report.checks.push(`Field Service is installed (${msdyn_workorder.entitySetName} and ${bookingstatus.entitySetName}.${bookingstatus.columns.msdyn_fieldservicestatus.logicalName} answer).`);
}

async function checkSolution(api: WebApi, report: SetupReport): Promise<void> {
  let rows: Row[];
  try {
    rows = values(await api.get(`${solution.entitySetName}?$select=version,ismanaged&$filter=uniquename eq ${literal(MANIFEST.uniqueName)}`, 'find the imported solution'));
  } catch (e) {
    if (e instanceof WebApiError && e.notFoundSegment) {
      throw new SetupError(
        `This environment has no ${solution.entitySetName} table, so solutions cannot be imported into it.`,
        'point --url at a Dataverse environment (a local Dataverse started with --solution package, full or none works too).',
      );
    }
    throw e;
  }
  const found = rows[0];
  if (!found) {
    throw new SetupError(
      `The ${MANIFEST.uniqueName} solution is not imported in this environment.`,
      `run npm run build, import solution/dist/${MANIFEST.uniqueName}_${MANIFEST.version.replace(/\./g, '_')}_managed.zip (Power Apps > Solutions > Import, or pac solution import), then run setup again.`,
    );
  }
  const version = String(found['version']);
  report.checks.push(`${MANIFEST.uniqueName} ${version} is imported (${found['ismanaged'] === true ? 'managed' : 'unmanaged'}).`);
  if (version !== MANIFEST.version) report.warnings.push(`The environment has ${MANIFEST.uniqueName} ${version}; this setup is for ${MANIFEST.version}. Import the matching package, then run setup again.`);
}

const STAGE = bookingstatus.columns;
/** The columns that make a field-stage status behave; the name is the admin's to rename. */
const BEHAVIOUR: ReadonlyArray<keyof FieldStageBookingStatusRow> = ['status', 'msdyn_fieldservicestatus', 'msdyn_statuscompletesworkorder'];

async function ensureBookingStatuses(api: WebApi, report: SetupReport): Promise<void> {
  const select = [bookingstatus.primaryIdAttribute, STAGE.name.logicalName, ...BEHAVIOUR, STAGE.pfb_fieldstage.logicalName].join(',');
  const existing = values(await api.get(`${bookingstatus.entitySetName}?$select=${select}&$filter=${STAGE.pfb_fieldstage.logicalName} ne null`, 'read the field-stage booking statuses'));
  for (const wanted of fieldStageBookingStatusRows()) {
    const row = existing.find((r) => r[STAGE.pfb_fieldstage.logicalName] === wanted.pfb_fieldstage);
    if (!row) {
      await api.post(bookingstatus.entitySetName, { ...wanted }, `create booking status ${wanted.name}`);
      report.changes.push(
        `created booking status "${wanted.name}" (field stage ${labelOf(fieldStageOptionSet, wanted.pfb_fieldstage)}, Field Service status ${labelOf(bookingSystemStatusOptionSet, wanted.msdyn_fieldservicestatus)}${wanted.msdyn_statuscompletesworkorder ? '' : ', does not complete the work order'})`,
      );
      continue;
    }
    const fix: Row = {};
    for (const k of BEHAVIOUR) if (row[k] !== wanted[k]) fix[k] = wanted[k];
    if (Object.keys(fix).length === 0) continue;
    const id = String(row[bookingstatus.primaryIdAttribute]);
    await api.patch(`${bookingstatus.entitySetName}(${id})`, fix, `repair booking status ${String(row[STAGE.name.logicalName])}`, { 'If-Match': '*' });
    report.changes.push(`repaired booking status "${String(row[STAGE.name.logicalName])}": ${Object.keys(fix).join(', ')} set back to what field stage ${labelOf(fieldStageOptionSet, wanted.pfb_fieldstage)} needs`);
  }
}

async function ensureEndpoints(api: WebApi, options: SetupOptions, report: SetupReport): Promise<void> {
  for (const e of SERVICE_ENDPOINTS) {
    let row: Row;
    try {
      row = await api.get(`${serviceendpoint.entitySetName}(${e.id})?$select=name,url,authtype`, `read webhook endpoint ${e.name}`);
    } catch (err) {
      if (err instanceof WebApiError && err.status === 404) {
        throw new SetupError(`The webhook endpoint "${e.name}" (${e.id}) of the solution is missing.`, 'import the Project Field Bridge package again (it carries the endpoints), then run setup again.');
      }
      throw err;
    }
    const change: Row = {};
    if (options.bridgeUrl) {
      const url = endpointUrl(options.bridgeUrl, e);
      if (row['url'] !== url) change['url'] = url;
    } else if (typeof row['url'] === 'string' && row['url'].startsWith(PLACEHOLDER_BRIDGE_ORIGIN)) {
      report.warnings.push(`Webhook endpoint "${e.name}" still points at the placeholder ${String(row['url'])}: run setup with --bridge-url.`);
    }
    if (options.webhookKey) {
      change['authtype'] = ServiceEndpointAuthType.WebhookKey;
      change['authvalue'] = options.webhookKey;
    }
    if (Object.keys(change).length === 0) continue;
    await api.patch(`${serviceendpoint.entitySetName}(${e.id})`, change, `configure webhook endpoint ${e.name}`, { 'If-Match': '*' });
    if (change['url']) report.changes.push(`pointed webhook endpoint "${e.name}" at ${String(change['url'])}`);
    if (change['authvalue']) report.changes.push(`set the webhook key of "${e.name}" (Dataverse never returns it, so it is written on every run; not shown)`);
  }
  for (const s of STEPS) {
    let step: Row;
    try {
      step = await api.get(`${sdkmessageprocessingstep.entitySetName}(${s.id})?$select=name,statecode`, `read step ${s.name}`);
    } catch (err) {
      if (err instanceof WebApiError && err.status === 404) throw new SetupError(`The webhook step "${s.name}" of the solution is missing.`, 'import the Project Field Bridge package again, then run setup again.');
      throw err;
    }
    if (step['statecode'] === StepState.Enabled) continue;
    await api.patch(`${sdkmessageprocessingstep.entitySetName}(${s.id})`, { statecode: StepState.Enabled, statuscode: StepStatus.Enabled }, `enable step ${s.name}`, { 'If-Match': '*' });
    report.changes.push(`enabled webhook step "${s.name}"`);
  }
}

async function ensureVariables(api: WebApi, options: SetupOptions, report: SetupReport): Promise<void> {
  for (const v of ENVIRONMENT_VARIABLES) {
    const defs = values(
      await api.get(`${environmentvariabledefinition.entitySetName}?$select=environmentvariabledefinitionid,defaultvalue&$filter=schemaname eq ${literal(v.schemaName)}`, `find environment variable ${v.schemaName}`),
    );
    const def = defs[0];
    if (!def) throw new SetupError(`The environment variable ${v.schemaName} of the solution is missing.`, 'import the Project Field Bridge package again, then run setup again.');
    const defId = String(def['environmentvariabledefinitionid']);
    const current = values(
      await api.get(`${environmentvariablevalue.entitySetName}?$select=environmentvariablevalueid,value&$filter=_environmentvariabledefinitionid_value eq ${defId}`, `read the value of ${v.schemaName}`),
    )[0];
    const wanted = options.variables?.[v.setupFlag];
    if (wanted === undefined) {
      if (v.isRequired && !current && def['defaultvalue'] == null) report.warnings.push(`Environment variable ${v.schemaName} (${v.displayName}) has no value: run setup with --${v.setupFlag}.`);
      continue;
    }
    if (!current) {
      await api.post(
        environmentvariablevalue.entitySetName,
        { schemaname: v.schemaName, value: wanted, [`${environmentvariablevalue.columns.environmentvariabledefinitionid.schemaName}@odata.bind`]: `/${environmentvariabledefinition.entitySetName}(${defId})` },
        `set environment variable ${v.schemaName}`,
      );
      report.changes.push(`set environment variable ${v.schemaName} to ${wanted}`);
    } else if (current['value'] !== wanted) {
      await api.patch(`${environmentvariablevalue.entitySetName}(${String(current['environmentvariablevalueid'])})`, { value: wanted }, `update environment variable ${v.schemaName}`, { 'If-Match': '*' });
      report.changes.push(`changed environment variable ${v.schemaName} from ${String(current['value'])} to ${wanted}`);
    }
  }
}

export async function runSetup(api: WebApi, options: SetupOptions): Promise<SetupReport> {
  const report: SetupReport = { checks: [], changes: [], warnings: [] };
  await checkConnection(api);
  await checkApplications(api, report);
  await checkSolution(api, report);
  await ensureBookingStatuses(api, report);
  await ensureEndpoints(api, options, report);
  await ensureVariables(api, options, report);
  return report;
}

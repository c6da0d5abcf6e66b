/**
 * The bridge stack on one machine, as in production but local: the local Dataverse (telecom seed, real service
 * protection limits), Azurite (in memory, through the bridge's own helper), the bridge's local host in this process
 * (the real workers unless a test replaces one), and the webhook steps registered through the Web API exactly as an
 * admin registers them with the Plug-in Registration Tool: a serviceendpoint (contract Webhook, authtype WebhookKey,
 * the bridge's key as value) and sdkmessageprocessingstep rows (asynchronous, post-operation, filtered) with images.
 */
import {
  ServiceEndpointAuthType,
  ServiceEndpointContract,
  StepImageType,
  StepMode,
  StepStage,
  bookableresourcebooking,
  pfb_tasksync,
  sdkmessage,
  sdkmessagefilter,
  sdkmessageprocessingstep,
  sdkmessageprocessingstepimage,
  serviceendpoint,
} from '@pfb/domain';
import { REAL_LIMITS, startDataverse, type RunningDataverse } from '@pfb/sandbox';
import { readSettings, type Settings } from '../../functions-bridge/src/config/settings';
import type { ComposeOptions } from '../../functions-bridge/src/app/composition';
import { startAzurite, startLocalHost, type LocalHost, type RunningAzurite } from '../../functions-bridge/src/host';
import { createTelemetry, settingsSecrets } from '../../functions-bridge/src/telemetry';
import { client, type Client, type HttpResult } from '../support/sandbox';

export const WEBHOOK_KEY = 'pfb-webhook-key-for-tests-7f3a9c';
export const FUNCTION_KEY = 'pfb-function-key-for-tests-41d8e2';

export type TelemetryLine = Record<string, unknown> & { level: string; message: string };

export interface BridgeStack {
  readonly dv: RunningDataverse;
  readonly azurite: RunningAzurite;
  readonly host: LocalHost;
  readonly settings: Settings;
  /** The Web API as an admin or a coordinator uses it. */
  readonly api: Client;
  /** Every telemetry line the bridge wrote (parsed JSON). */
  readonly lines: TelemetryLine[];
  /** The tracked exceptions. */
  exceptions(): TelemetryLine[];
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Settings besides the ones the stack sets (Dataverse URL, storage, key, …). */
  readonly env?: Record<string, string>;
  /** Replacement factories, batch window… for the composed Bridge. */
  readonly compose?: (settings: Settings) => ComposeOptions;
  /** Dataverse limits (default the real ones). */
  readonly limits?: typeof REAL_LIMITS | null;
}

export async function startBridgeStack(options: StackOptions = {}): Promise<BridgeStack> {
  const [dv, azurite] = await Promise.all([
    startDataverse({ seed: 'telecom', limits: options.limits === undefined ? REAL_LIMITS : options.limits, webhookTimeoutMs: 10_000 }),
    startAzurite(),
  ]);
  const lines: TelemetryLine[] = [];
  let host: LocalHost | undefined;
  try {
    const settings = readSettings({
      DATAVERSE_URL: dv.url,
      DATAVERSE_AUTH: 'static',
      DATAVERSE_STATIC_TOKEN: 'bridge-local-token',
      AzureWebJobsStorage: azurite.connectionString,
      DATAVERSE_WEBHOOK_KEY: WEBHOOK_KEY,
      MOBILITY_BASE_URL: 'https://127.0.0.1:9/',
      KEY_VAULT_URL: 'https://127.0.0.1:9/',
      ...options.env,
    });
    const telemetry = createTelemetry({ secrets: settingsSecrets(settings), write: (line) => void lines.push(JSON.parse(line) as TelemetryLine) });
    const compose = options.compose?.(settings) ?? {};
    host = await startLocalHost({
      settings,
      functionKey: FUNCTION_KEY,
      compose: { batchWindowMs: 50, ...compose, telemetry },
      // Poll often: tests wait on the queue, the 2 s of host.json would only slow them.
      queue: { maxPollingIntervalMs: 200 },
    });
    const running = host;
    return {
      dv,
      azurite,
      host: running,
      settings,
      api: client(dv.url),
      lines,
      exceptions: () => lines.filter((l) => l['telemetry'] === 'exception'),
      async stop() {
        await running.stop();
        await dv.close();
        await azurite.stop();
      },
    };
  } catch (e) {
    await host?.stop();
    await dv.close();
    await azurite.stop();
    throw e;
  }
}

// ---- registration through the Web API, as an admin does it -------------------------------------------------------

function idFrom(res: HttpResult): string {
  const m = /\(([0-9a-f-]{36})\)$/.exec(res.headers.get('odata-entityid') ?? '');
  if (!m) throw new Error(`No OData-EntityId in a ${res.status} response: ${res.text}`);
  return m[1] as string;
}

async function created(res: Promise<HttpResult>, what: string): Promise<string> {
  const r = await res;
  if (r.status !== 204) throw new Error(`${what}: HTTP ${r.status} ${r.text}`);
  return idFrom(r);
}

/** A WebhookKey service endpoint at the bridge's route: Dataverse will POST to `<url>?code=<key>`. */
export function createWebhookEndpoint(api: Client, name: string, url: string, key = WEBHOOK_KEY): Promise<string> {
  return created(
    api.post(serviceendpoint.entitySetName, { name, contract: ServiceEndpointContract.Webhook, url, authtype: ServiceEndpointAuthType.WebhookKey, authvalue: key }),
    `serviceendpoint ${name}`,
  );
}

async function messageAndFilter(api: Client, message: string, table: string): Promise<{ messageId: string; filterId: string }> {
  const messages = (await api.get(`${sdkmessage.entitySetName}?$select=sdkmessageid&$filter=name eq '${message}'`)).json<{ value: { sdkmessageid: string }[] }>().value;
  const messageId = messages[0]?.sdkmessageid;
  if (!messageId) throw new Error(`no sdkmessage ${message}`);
  const filters = (
    await api.get(`${sdkmessagefilter.entitySetName}?$select=sdkmessagefilterid&$filter=_sdkmessageid_value eq ${messageId} and primaryobjecttypecode eq '${table}'`)
  ).json<{ value: { sdkmessagefilterid: string }[] }>().value;
  const filterId = filters[0]?.sdkmessagefilterid;
  if (!filterId) throw new Error(`no sdkmessagefilter for ${message} of ${table}`);
  return { messageId, filterId };
}

export interface StepSpec {
  readonly message: 'Create' | 'Update' | 'Delete';
  readonly table: string;
  readonly endpointId: string;
  readonly filteringattributes?: string;
  readonly image?: { readonly type: 'PreImage' | 'PostImage'; readonly attributes: string };
}

/** An asynchronous post-operation step (supported deployment: server), with its image when given. */
export async function registerStep(api: Client, spec: StepSpec): Promise<string> {
  const ids = await messageAndFilter(api, spec.message, spec.table);
  const stepId = await created(
    api.post(sdkmessageprocessingstep.entitySetName, {
      name: `Project Field Bridge: ${spec.message} of ${spec.table}`,
      'sdkmessageid@odata.bind': `/${sdkmessage.entitySetName}(${ids.messageId})`,
      'sdkmessagefilterid@odata.bind': `/${sdkmessagefilter.entitySetName}(${ids.filterId})`,
      'eventhandler_serviceendpoint@odata.bind': `/${serviceendpoint.entitySetName}(${spec.endpointId})`,
      stage: StepStage.PostOperation,
      mode: StepMode.Asynchronous,
      rank: 1,
      supporteddeployment: 0,
      filteringattributes: spec.filteringattributes ?? null,
      asyncautodelete: true,
    }),
    `step ${spec.message} of ${spec.table}`,
  );
  if (spec.image) {
    await created(
      api.post(sdkmessageprocessingstepimage.entitySetName, {
        name: spec.image.type,
        entityalias: spec.image.type,
        imagetype: StepImageType[spec.image.type],
        messagepropertyname: spec.message === 'Create' ? 'Id' : 'Target',
        attributes: spec.image.attributes,
        'sdkmessageprocessingstepid@odata.bind': `/${sdkmessageprocessingstep.entitySetName}(${stepId})`,
      }),
      `image of ${spec.message} of ${spec.table}`,
    );
  }
  return stepId;
}

/** pfb_tasksync: Create, and Update filtered on pfb_syncstatus, to /api/dataverse/task-sync. */
export async function registerTaskSyncWebhook(api: Client, bridgeUrl: string, key = WEBHOOK_KEY): Promise<string> {
  const endpointId = await createWebhookEndpoint(api, 'Project Field Bridge — task sync', `${bridgeUrl}/api/dataverse/task-sync`, key);
  const table = pfb_tasksync.logicalName;
  await registerStep(api, { message: 'Create', table, endpointId });
  await registerStep(api, { message: 'Update', table, endpointId, filteringattributes: pfb_tasksync.columns.pfb_syncstatus.logicalName });
  return endpointId;
}

/**
 * bookableresourcebooking: Create and Update (filtered on starttime, endtime, resource, bookingstatus) with a post
 * image carrying versionnumber; Delete with a pre-image carrying pfb_mobilityref and msdyn_workorder.
 */
export async function registerBookingWebhooks(api: Client, bridgeUrl: string): Promise<string> {
  const endpointId = await createWebhookEndpoint(api, 'Project Field Bridge — bookings', `${bridgeUrl}/api/dataverse/bookings`);
  const table = bookableresourcebooking.logicalName;
  const C = bookableresourcebooking.columns;
  const postImage = { type: 'PostImage', attributes: 'versionnumber' } as const;
  await registerStep(api, { message: 'Create', table, endpointId, image: postImage });
  await registerStep(api, {
    message: 'Update',
    table,
    endpointId,
    filteringattributes: [C.starttime, C.endtime, C.resource, C.bookingstatus].map((c) => c.logicalName).join(','),
    image: postImage,
  });
  await registerStep(api, { message: 'Delete', table, endpointId, image: { type: 'PreImage', attributes: [C.pfb_mobilityref, C.msdyn_workorder, C.name].map((c) => c.logicalName).join(',') } });
  return endpointId;
}

// ---- waiting -----------------------------------------------------------------------------------------------------

/** Polls until `probe` gives a value (not undefined/false), or fails naming what it waited for. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Messages in a queue, decoded (peek: does not change them). */
export async function peekQueue(stack: BridgeStack, queue: string): Promise<unknown[]> {
  const res = await stack.host.bridge.queues.client(queue).peekMessages({ numberOfMessages: 32 });
  return res.peekedMessageItems.map((m) => JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as unknown);
}

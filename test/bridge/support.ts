/**
 * The bridge stack on one machine, as in production but local: the local Dataverse (telecom seed, real service
 * protection limits), Azurite (in memory, through the bridge's own helper), the bridge's local host in this process
 * (the real workers unless a test replaces one), and the webhook steps registered through the Web API exactly as an
 * admin registers them with the Plug-in Registration Tool: a serviceendpoint (contract Webhook, authtype WebhookKey,
 * the bridge's key as value) and sdkmessageprocessingstep rows (asynchronous, post-operation, filtered) with images.
 */
import {
  bookableresourcebooking,
  pfb_tasksync,
} from '@pfb/domain';
import { applicationToken, BRIDGE_APP_ID, REAL_LIMITS, startDataverse, type RunningDataverse } from '@pfb/sandbox';
import { readSettings, type Settings } from '../../functions-bridge/src/config/settings';
import type { ComposeOptions } from '../../functions-bridge/src/app/composition';
import type { MobilityAdapter } from '../../functions-bridge/src/services/mobility';
import { startAzurite, startLocalHost, type LocalHost, type RunningAzurite } from '../../functions-bridge/src/host';
import { createTelemetry, settingsSecrets } from '../../functions-bridge/src/telemetry';
import { client, type Client } from '../support/sandbox';
export { eventually } from '../support/eventually';
import { createWebhookEndpoint, registerStep, type StepSpec } from '../support/webhookRegistration';


export const WEBHOOK_KEY = 'pfb-webhook-key-for-tests-7f3a9c';
export const FUNCTION_KEY = 'pfb-function-key-for-tests-41d8e2';
/** The Standard Webhooks secret the mobility app and the bridge share in tests (whsec_ + base64 of 32 bytes). */
export const SIGNING_SECRET = `whsec_${Buffer.from('pfb-mobility-signing-secret-32by').toString('base64')}`;

/** A mobility adapter for tests that never dispatch: healthy, refuses any call. */
export const noMobility: MobilityAdapter = {
  upsertTicket: () => Promise.reject(new Error('not used in this test')),
  cancelTicket: () => Promise.reject(new Error('not used in this test')),
  health: () => Promise.resolve({ ok: true, detail: 'not used in this test' }),
};

/** A mobility app that accepts every ticket (and lists the ids it was sent), for tests that dispatch without mTLS. */
export function acceptingMobility(sent: string[] = []): MobilityAdapter {
  return {
    upsertTicket: (ticket) => {
      sent.push(ticket.ticketId);
      return Promise.resolve({ mobilityRef: `MOB-${ticket.ticketId.slice(0, 8)}`, version: 1 });
    },
    cancelTicket: () => Promise.resolve({ found: false, mobilityRef: null, version: null }),
    health: () => Promise.resolve({ ok: true, detail: 'accepting mobility app (test)' }),
  };
}

/**
 * The bridge's token for the local Dataverse: an (unsigned) JWT whose appid is the bridge's application user, so the
 * local Dataverse acts as that user — its writes carry its id, as in a real environment.
 */
export const bridgeToken = (): string => applicationToken(BRIDGE_APP_ID);

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
  /** Timer functions on their schedule (default), or only when a test runs them (`false`). */
  readonly timers?: false;
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
      DATAVERSE_STATIC_TOKEN: bridgeToken(),
      MOBILITY_SIGNING_SECRET: SIGNING_SECRET,
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
      ...(options.timers === false ? { timers: false as const } : {}),
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

/** A WebhookKey service endpoint at the bridge's route: Dataverse will POST to `<url>?code=<key>`. */
export function createBridgeEndpoint(api: Client, name: string, url: string, key = WEBHOOK_KEY): Promise<string> {
  return createWebhookEndpoint(api, { name, url, authvalue: key });
}

/** The bridge's steps auto-delete their successful system jobs. */
export const registerBridgeStep = (api: Client, spec: StepSpec): Promise<string> => registerStep(api, { asyncautodelete: true, ...spec });

/** pfb_tasksync: Create, and Update filtered on pfb_syncstatus, to /api/dataverse/task-sync. */
export async function registerTaskSyncWebhook(api: Client, bridgeUrl: string, key = WEBHOOK_KEY): Promise<string> {
  const endpointId = await createBridgeEndpoint(api, 'Project Field Bridge — task sync', `${bridgeUrl}/api/dataverse/task-sync`, key);
  const table = pfb_tasksync.logicalName;
  await registerBridgeStep(api, { message: 'Create', table, endpointId });
  await registerBridgeStep(api, { message: 'Update', table, endpointId, filteringattributes: pfb_tasksync.columns.pfb_syncstatus.logicalName });
  return endpointId;
}

/**
 * bookableresourcebooking: Create and Update (filtered on starttime, endtime, resource, bookingstatus) with a post
 * image carrying versionnumber; Delete with a pre-image carrying pfb_mobilityref and msdyn_workorder.
 */
export async function registerBookingWebhooks(api: Client, bridgeUrl: string): Promise<string> {
  const endpointId = await createBridgeEndpoint(api, 'Project Field Bridge — bookings', `${bridgeUrl}/api/dataverse/bookings`);
  const table = bookableresourcebooking.logicalName;
  const C = bookableresourcebooking.columns;
  const postImage = { type: 'PostImage', attributes: 'versionnumber' } as const;
  await registerBridgeStep(api, { message: 'Create', table, endpointId, image: postImage });
  await registerBridgeStep(api, {
    message: 'Update',
    table,
    endpointId,
    filteringattributes: [C.starttime, C.endtime, C.resource, C.bookingstatus].map((c) => c.logicalName).join(','),
    image: postImage,
  });
  await registerBridgeStep(api, { message: 'Delete', table, endpointId, image: { type: 'PreImage', attributes: [C.pfb_mobilityref, C.msdyn_workorder, C.name].map((c) => c.logicalName).join(',') } });
  return endpointId;
}

// ---- waiting -----------------------------------------------------------------------------------------------------

/** Messages in a queue, decoded (peek: does not change them). */
export async function peekQueue(stack: BridgeStack, queue: string): Promise<unknown[]> {
  const res = await stack.host.bridge.queues.client(queue).peekMessages({ numberOfMessages: 32 });
  return res.peekedMessageItems.map((m) => JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as unknown);
}

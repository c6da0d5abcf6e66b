/**
 * The whole field loop with its parts as separate processes, so a fault test can kill or restart any of them: the
 * local Dataverse (real service protection limits) in the test process, Azurite as its own process persisting its
 * queues in a folder (so it can be restarted), the Key Vault stand-in and the mobility simulator over mutual TLS, and
 * the bridge as a child process (bridgeMain.ts) on a fixed port, so its webhook steps survive a restart. The webhook
 * steps are registered through the Web API as an admin registers them.
 */
import {
  applyFieldEvent,
  bookableresource,
  bookableresourcebooking,
  buildRollupIndex,
  msdyn_projecttask,
  msdyn_resourcerequirement,
  msdyn_workorder,
  pfb_tasksync,
  projectProgressColumns,
  SyncStatus,
  taskSyncColumns,
  type FieldEvent,
} from '@pfb/domain';
import { BOOKING_STATUS_IDS, REAL_LIMITS, startDataverse, type RunningDataverse, type SeedKind } from '@pfb/sandbox';
import { startKeyVault, type KeyVaultStandIn } from '@pfb/sandbox/keyvault';
import { startMobilitySimulator, type MobilitySimulator } from '@pfb/sandbox/mobility';
import { createTestPki } from '@pfb/sandbox/pki';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { QueueServiceClient } from '@azure/storage-queue';
import { ALL_QUEUES } from '../../functions-bridge/src/app/bridge';
import { startAzurite, type RunningAzurite } from '../../functions-bridge/src/host';
import { DataverseClient } from '../../functions-bridge/src/services/dataverse/dataverseClient';
import { syncTasks } from '../../functions-bridge/src/services/taskSync';
import { dayOf, type StageEvent } from '../bridge/fieldSupport';
import { bridgeToken, registerBookingWebhooks, registerTaskSyncWebhook, SIGNING_SECRET, WEBHOOK_KEY, type TelemetryLine } from '../bridge/support';
export type { StageEvent } from '../bridge/fieldSupport';
import { client, type Client } from '../support/sandbox';
export { seededRandom } from '../../sandbox/random';

type Row = Record<string, unknown>;
const ROOT = path.resolve(__dirname, '../..');
const CERT = 'mobility-client';

/** A free port on 127.0.0.1 (taken from the kernel, then released for the process that will use it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Azurite persisting to a folder, restartable on the same port (the bridge's connection string stays valid). */
export class RestartableAzurite {
  private running?: RunningAzurite;
  restarts = 0;

  private constructor(
    readonly location: string,
    readonly port: number,
  ) {}

  static async start(location: string): Promise<RestartableAzurite> {
    const azurite = new RestartableAzurite(location, await freePort());
    azurite.running = await startAzurite({ location, port: azurite.port });
    return azurite;
  }

  get connectionString(): string {
    return (this.running as RunningAzurite).connectionString;
  }

  /** Stops it (as a host restart or an update stops it) and starts it again on the same folder and port. */
  async restart(downMs = 0): Promise<void> {
    await this.running?.stop();
    this.running = undefined;
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    this.running = await startAzurite({ location: this.location, port: this.port });
    this.restarts += 1;
  }

  stop(): Promise<void> {
    return this.running?.stop() ?? Promise.resolve();
  }

  /** Messages on each of the bridge's queues, visible or not (Azurite's approximate count), the empty ones left out. */
  async depths(): Promise<Record<string, number>> {
    const service = QueueServiceClient.fromConnectionString(this.connectionString);
    const out: Record<string, number> = {};
    for (const name of ALL_QUEUES) {
      const n = (await service.getQueueClient(name).getProperties().catch(() => ({ approximateMessagesCount: 0 }))).approximateMessagesCount ?? 0;
      if (n > 0) out[name] = n;
    }
    return out;
  }
}

/** The bridge's local host as a child process on a fixed port; `kill()` is SIGKILL: nothing runs after it. */
export class BridgeProcess {
  private child?: ChildProcess;
  /** Every telemetry line of every run of the process. */
  readonly lines: TelemetryLine[] = [];
  readonly stderr: string[] = [];
  starts = 0;
  kills = 0;
  /** Exits nobody asked for (a crash), with the code or signal and the end of stderr. */
  readonly crashes: string[] = [];
  private expectingExit = false;

  constructor(
    private readonly env: Record<string, string>,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    if (this.alive) throw new Error('the bridge process is already running');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'bridgeMain.ts')], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? os.tmpdir(), ...this.env, PFB_BRIDGE_PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.expectingExit = false;
    const killOnExit = (): void => void child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', (code, signal) => {
      process.removeListener('exit', killOnExit);
      if (!this.expectingExit) this.crashes.push(`exited by itself (${code ?? signal}) after start ${this.starts}: ${this.stderr.join('').slice(-300)}`);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.stderr.push(chunk));
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      let ready = false;
      const timer = setTimeout(() => reject(new Error(`the bridge did not start within ${timeoutMs} ms: ${this.stderr.join('').slice(-500)}`)), timeoutMs);
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (line.startsWith('{')) {
            try {
              this.lines.push(JSON.parse(line) as TelemetryLine);
            } catch {
              // a line cut by SIGKILL
            }
          } else if (line.startsWith('Bridge listening on ') && !ready) {
            ready = true;
            clearTimeout(timer);
            resolve();
          }
        }
      });
      child.once('exit', (code, signal) => {
        if (ready) return;
        clearTimeout(timer);
        reject(new Error(`the bridge exited (${code ?? signal}) before it was ready: ${this.stderr.join('').slice(-500)}`));
      });
    });
    this.starts += 1;
  }

  /** SIGKILL, and wait until the process is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.alive) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.expectingExit = true;
    child.kill('SIGKILL');
    await exited;
    this.kills += 1;
  }

  /** SIGTERM: the host finishes what it holds and stops. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.alive) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    this.expectingExit = true;
    child.kill('SIGTERM');
    await exited;
    clearTimeout(force);
  }

  exceptions(): TelemetryLine[] {
    return this.lines.filter((l) => l['telemetry'] === 'exception');
  }
}

export interface FieldRig {
  readonly dv: RunningDataverse;
  /**
   * Webhook deliveries the local Dataverse could not make (its system jobs say Failed): expected while the bridge is
   * dead or its storage away — the bridge's own updates of its rows, and the rows the reconcile timer must find.
   */
  readonly webhookFailures: string[];
  readonly api: Client;
  readonly azurite: RestartableAzurite;
  readonly bridge: BridgeProcess;
  readonly mobility: MobilitySimulator;
  readonly vault: KeyVaultStandIn;
  stop(): Promise<void>;
}

export interface RigOptions {
  readonly seed: SeedKind;
  /** Bridge settings besides the rig's own (e.g. QUEUE_RETRY_SECONDS). */
  readonly env?: Record<string, string>;
}

export async function startFieldRig(options: RigOptions): Promise<FieldRig> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pfb-faults-'));
  const pki = createTestPki({ validDays: 1 });
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const webhookFailures: string[] = [];
    const dv = await startDataverse({ seed: options.seed, limits: REAL_LIMITS, webhookTimeoutMs: 10_000, webhookLog: (_level, message) => void webhookFailures.push(message) });
    stops.push(() => dv.close());
    const azurite = await RestartableAzurite.start(path.join(dir, 'azurite'));
    stops.push(() => azurite.stop());
    const [mobility, vault] = await Promise.all([startMobilitySimulator({ pki }), startKeyVault({ pki })]);
    stops.push(() => mobility.close(), () => vault.close());
    vault.setCertificateSecret(CERT, pki.client, 'pfx');
    const bridge = new BridgeProcess(
      {
        DATAVERSE_URL: dv.url,
        DATAVERSE_AUTH: 'static',
        DATAVERSE_STATIC_TOKEN: bridgeToken(),
        AzureWebJobsStorage: azurite.connectionString,
        DATAVERSE_WEBHOOK_KEY: WEBHOOK_KEY,
        MOBILITY_BASE_URL: mobility.url,
        KEY_VAULT_URL: vault.url,
        MOBILITY_CERTIFICATE_NAME: CERT,
        MOBILITY_CA_PEM: pki.ca.certPem,
        MOBILITY_SIGNING_SECRET: SIGNING_SECRET,
        PFB_VAULT_CA_PEM: pki.ca.certPem,
        ...options.env,
      },
      await freePort(),
    );
    stops.push(() => bridge.kill());
    await bridge.start();
    const api = client(dv.url);
    await registerTaskSyncWebhook(api, bridge.url);
    await registerBookingWebhooks(api, bridge.url);
    return { dv, webhookFailures, api, azurite, bridge, mobility, vault, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

// ---- the work ------------------------------------------------------------------------------------------------------

export async function rows(api: Client, pathAndQuery: string): Promise<Row[]> {
  const out: Row[] = [];
  let next: string | undefined = pathAndQuery;
  while (next) {
    const res = await api.get(next, { Prefer: 'odata.maxpagesize=5000' });
    if (res.status !== 200) throw new Error(`GET ${next}: ${res.status} ${res.text}`);
    const page = res.json<{ value: Row[]; '@odata.nextLink'?: string }>();
    out.push(...page.value);
    next = page['@odata.nextLink']?.replace(/^.*\/api\/data\/v9\.2\//, '');
  }
  return out;
}

export interface LeafTask {
  readonly id: string;
  readonly projectId: string;
  readonly subject: string;
}

/** The leaf tasks of the program in WBS order (setup, read from the store). */
export function leafTasks(dv: RunningDataverse): LeafTask[] {
  return dv.dataverse.store
    .select(msdyn_projecttask.logicalName, '', [], 'ORDER BY t0."msdyn_project", t0."msdyn_displaysequence"')
    .filter((t) => t['msdyn_summary'] !== true)
    .map((t) => ({ id: t['msdyn_projecttaskid'] as string, projectId: (t['msdyn_project'] as { id: string }).id, subject: String(t['msdyn_subject']) }));
}

/** A coordinator marks tasks Ready to Sync: one pfb_tasksync row each, POSTed (each fires the Create step). */
export async function markReady(api: Client, tasks: readonly LeafTask[]): Promise<string[]> {
  const S = pfb_tasksync.columns;
  return Promise.all(
    tasks.map(async (t) => {
      const res = await api.post(pfb_tasksync.entitySetName, {
        [S.pfb_name.logicalName]: t.subject,
        [`${S.pfb_projecttask.logicalName}@odata.bind`]: `/${msdyn_projecttask.entitySetName}(${t.id})`,
        [`${S.pfb_project.logicalName}@odata.bind`]: `/msdyn_projects(${t.projectId})`,
        [S.pfb_syncstatus.logicalName]: SyncStatus.ReadyToSync,
      });
      if (res.status !== 204) throw new Error(`POST pfb_tasksyncs for task ${t.id}: ${res.status} ${res.text}`);
      return /\(([0-9a-f-]{36})\)$/.exec(res.headers.get('odata-entityid') ?? '')?.[1] as string;
    }),
  );
}

/** Work orders by source key, with what the planner decided for each (the figures two runs must share). */
export async function workOrdersByKey(api: Client): Promise<Map<string, string>> {
  const all = await rows(api, `${msdyn_workorder.entitySetName}?$select=pfb_sourcekey,pfb_plannedeffort,msdyn_timefrompromised,msdyn_timetopromised,msdyn_datewindowstart,msdyn_datewindowend,_pfb_projecttask_value,msdyn_workordersummary&$filter=pfb_sourcekey ne null`);
  const out = new Map<string, string>();
  for (const w of all) {
    const key = w['pfb_sourcekey'] as string;
    if (out.has(key)) throw new Error(`two work orders have the source key ${key}`);
    out.set(key, JSON.stringify(['pfb_plannedeffort', 'msdyn_timefrompromised', 'msdyn_timetopromised', 'msdyn_datewindowstart', 'msdyn_datewindowend', '_pfb_projecttask_value', 'msdyn_workordersummary'].map((c) => w[c])));
  }
  return out;
}

export interface Booked {
  readonly bookingId: string;
  readonly workOrderId: string;
  readonly taskSyncId: string;
  readonly plannedEffortHours: number;
}

/** A dispatcher books every work order of the given task sync rows (one POST each: each fires the booking Create step). */
export async function bookAll(api: Client, taskSyncIds: readonly string[]): Promise<Booked[]> {
  const technicians = await rows(api, `${bookableresource.entitySetName}?$select=name&$filter=pfb_mobilityuserid ne null`);
  const out: Booked[] = [];
  const ids = new Set(taskSyncIds);
  const workOrders = (await rows(api, `${msdyn_workorder.entitySetName}?$select=pfb_plannedeffort,_pfb_tasksync_value&$filter=pfb_sourcekey ne null&$orderby=pfb_sourcekey`)).filter((w) => ids.has(w['_pfb_tasksync_value'] as string));
  const requirements = new Map((await rows(api, `${msdyn_resourcerequirement.entitySetName}?$select=_msdyn_workorder_value`)).map((r) => [r['_msdyn_workorder_value'] as string, r['msdyn_resourcerequirementid'] as string]));
  let i = 0;
  for (const wo of workOrders) {
    const workOrderId = wo['msdyn_workorderid'] as string;
    const technician = technicians[i % technicians.length] as Row;
    i += 1;
    const res = await api.post(
      bookableresourcebooking.entitySetName,
      {
        name: `Visit ${i}`,
        starttime: '2027-04-05T22:00:00Z',
        endtime: '2027-04-06T06:00:00Z',
        'Resource@odata.bind': `/${bookableresource.entitySetName}(${technician['bookableresourceid'] as string})`,
        'BookingStatus@odata.bind': `/bookingstatuses(${BOOKING_STATUS_IDS.Scheduled})`,
        'msdyn_workorder@odata.bind': `/${msdyn_workorder.entitySetName}(${workOrderId})`,
        ...(requirements.has(workOrderId) ? { 'msdyn_resourcerequirement@odata.bind': `/${msdyn_resourcerequirement.entitySetName}(${requirements.get(workOrderId) as string})` } : {}),
      },
      { Prefer: 'return=representation' },
    );
    if (res.status !== 201) throw new Error(`POST bookings for work order ${workOrderId}: ${res.status} ${res.text}`);
    out.push({ bookingId: res.json<Row>()['bookableresourcebookingid'] as string, workOrderId, taskSyncId: wo['_pfb_tasksync_value'] as string, plannedEffortHours: wo['pfb_plannedeffort'] as number });
  }
  return out;
}

/** A technician's day on a booking, its times from the booking's index (so two runs give the same figures). */
export function dayFor(bookingId: string, index: number): StageEvent[] {
  const start = new Date(Date.parse('2027-04-05T21:00:00Z') + (index % 17) * 60_000).toISOString();
  const onsite = 40 + (index % 23);
  return dayOf(bookingId, start, { travel: 5 + (index % 7), onsite, inProgress: onsite + 15, end: onsite + 75 + ((index * 37) % 240) }, index % 9 === 4 ? 'Incomplete' : 'Complete');
}

/**
 * The mobility app's outbox: a delivery is POSTed signed until the bridge answers 202 (or 409: an earlier attempt was
 * accepted), with the same webhook-id on every attempt, as Standard Webhooks senders retry. Connection failures and
 * 5xx (the bridge down or restarting) are retried every `retryMs`, up to `deadlineMs`.
 */
export async function sendUntilAccepted(url: string, events: readonly StageEvent[], options: { retryMs?: number; deadlineMs?: number } = {}): Promise<{ attempts: number; refusals: number[] }> {
  /** The status of each attempt that was not accepted (0: no answer). */
  const refusals: number[] = [];
  const id = `msg_${randomUUID()}`;
  const body = JSON.stringify(events);
  const key = new Webhook(SIGNING_SECRET);
  const deadline = Date.now() + (options.deadlineMs ?? 120_000);
  for (let attempts = 1; ; attempts += 1) {
    const now = new Date();
    try {
      const res = await fetch(`${url}/api/mobility/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': key.sign(id, now, body) },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      if (res.status === 202 || res.status === 409) return { attempts, refusals };
      if (res.status < 500) throw new Error(`delivery ${id} refused with ${res.status}: ${text}`);
      refusals.push(res.status);
    } catch (e) {
      if (e instanceof Error && e.message.startsWith(`delivery ${id} refused`)) throw e;
      // down or restarting: try again
      refusals.push(0);
    }
    if (Date.now() > deadline) throw new Error(`delivery ${id} was not accepted within ${options.deadlineMs ?? 120_000} ms`);
    await new Promise((r) => setTimeout(r, options.retryMs ?? 250));
  }
}

/** The work orders an undisturbed sync of the same tasks (all leaf tasks, or `only` these) plans: the same seed in a second local Dataverse. */
export async function undisturbedWorkOrders(seed: SeedKind, only?: ReadonlySet<string>): Promise<Map<string, string>> {
  const dv = await startDataverse({ seed, limits: null });
  try {
    const api = client(dv.url);
    const ids = await markReady(api, leafTasks(dv).filter((t) => !only || only.has(t.id)));
    const credential = { getToken: () => Promise.resolve({ token: 'undisturbed', expiresOnTimestamp: Date.now() + 3600_000 }) };
    await syncTasks(ids, { dataverse: new DataverseClient({ serviceRoot: dv.url, credential }), settings: { PLANNING_POLICY: 'perDay' } });
    return await workOrdersByKey(api);
  } finally {
    await dv.close();
  }
}

/**
 * How the task and project figures in Dataverse differ from one in-order delivery of `events`, worked out by the
 * domain's roll-up over the program's shape as Dataverse holds it (task sync rows, work orders, the booked bookings).
 * Empty when they are equal (to 0.006: Dataverse decimals).
 */
export async function figureDifferences(api: Client, booked: readonly Booked[], events: readonly StageEvent[]): Promise<string[]> {
  const taskSyncs = await rows(api, `${pfb_tasksync.entitySetName}?$select=pfb_plannedeffort,_pfb_project_value`);
  const workOrders = await rows(api, `${msdyn_workorder.entitySetName}?$select=pfb_plannedeffort,_pfb_tasksync_value&$filter=pfb_sourcekey ne null`);
  const model = buildRollupIndex({
    tasks: taskSyncs.map((t) => ({ taskId: t['pfb_tasksyncid'] as string, projectId: t['_pfb_project_value'] as string, estimateHours: (t['pfb_plannedeffort'] as number | null) ?? 0 })),
    workOrders: workOrders.map((w) => ({ workOrderId: w['msdyn_workorderid'] as string, taskId: w['_pfb_tasksync_value'] as string, plannedEffortHours: (w['pfb_plannedeffort'] as number | null) ?? 0 })),
    bookings: booked.map((b) => ({ bookingId: b.bookingId, workOrderId: b.workOrderId })),
  });
  for (const e of [...events].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.sequence - b.sequence)) applyFieldEvent(model, e as FieldEvent);
  const differ = (actual: Row, expected: object): string[] =>
    Object.entries(expected)
      .filter(([k, v]) => (typeof v === 'number' && typeof actual[k] === 'number' ? Math.abs(v - (actual[k] as number)) >= 0.006 : (v ?? null) !== (actual[k] ?? null)))
      .map(([k, v]) => `${k}: expected ${JSON.stringify(v)}, got ${JSON.stringify(actual[k])}`);
  const out: string[] = [];
  const bookedTasks = new Set(booked.map((b) => b.taskSyncId));
  const first = model.tasks.values().next().value;
  if (!first) return out;
  const columns = Object.keys(taskSyncColumns(first.agg));
  for (const t of await rows(api, `${pfb_tasksync.entitySetName}?$select=${columns.join(',')}`)) {
    const id = t['pfb_tasksyncid'] as string;
    if (bookedTasks.has(id)) out.push(...differ(t, taskSyncColumns(model.tasks.get(id)!.agg)).map((d) => `task ${id} ${d}`));
  }
  for (const p of await rows(api, 'pfb_projectprogresses')) {
    const project = model.projects.get(p['_pfb_project_value'] as string);
    if (project && project.tasks.some((t) => bookedTasks.has(t.id))) out.push(...differ(p, projectProgressColumns(project.agg)).map((d) => `project ${project.id} ${d}`));
  }
  return out;
}

/** Starts the rig before the file's tests and stops it after them, printing the lines the tests logged. */
export function useFieldRig(title: string, options: RigOptions): { readonly rig: FieldRig; readonly log: string[] } {
  let rig: FieldRig | undefined;
  const log: string[] = [];
  beforeAll(async () => {
    rig = await startFieldRig(options);
  }, 120_000);
  afterAll(async () => {
    console.log(`${title}:\n  ${log.join('\n  ')}`);
    await rig?.stop();
  });
  return {
    get rig(): FieldRig {
      if (!rig) throw new Error('the field rig has not started (beforeAll failed)');
      return rig;
    },
    log,
  };
}

/** `items` in `n` chunks of (nearly) equal size, none empty. */
export function chunks<T>(items: readonly T[], n: number): T[][] {
  const size = Math.ceil(items.length / n);
  return Array.from({ length: n }, (_, i) => items.slice(i * size, (i + 1) * size)).filter((c) => c.length > 0);
}

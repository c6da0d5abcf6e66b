/**
 * Inbound field events (DESIGN §7): a program of `scale:N` field tasks is synced by the real task-sync code and every
 * work order booked (setup, not measured); then technicians' days — Acknowledged, Travel, Onsite, In Progress,
 * Complete — are POSTed signed to the bridge's local host (the real endpoint, Azurite queue and field-event worker)
 * in deliveries of 25 events, as a mobility app batching its outbox sends them.
 *
 * - `inbound.eventsPerSecond`: all days of half the bookings sent as fast as the bridge takes them, local Dataverse
 *   limits off (the bridge itself is measured); events ÷ seconds from the first POST until every event is recorded and
 *   rolled up. The load generator, the bridge and the local Dataverse share this machine's two cores.
 * - `inbound.requestsPerEvent`, `inbound.p95LatencyMs`: the other half sent at a stated peak rate with the real service
 *   protection limits; Dataverse requests (as the local Dataverse counts them: a $batch is one) ÷ events, and the 95th
 *   percentile from POST to the moment the delivery's project roll-up is written (its queue message completes only
 *   then).
 * - Baseline: the same worker with no batching and no coalescing (one event per batch, roll-ups written at once), one
 *   event per delivery: requests per event and throughput measured the same way.
 */
import { bookableresource, bookableresourcebooking, msdyn_resourcerequirement, msdyn_workorder, type FieldStageName } from '@pfb/domain';
import { applicationToken, BOOKING_STATUS_IDS, BRIDGE_APP_ID, REAL_LIMITS, startDataverse, type RunningDataverse } from '@pfb/sandbox';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { readSettings } from '../../functions-bridge/src/config/settings';
import { createFieldEventWorker } from '../../functions-bridge/src/services/fieldEvents/createFieldEventWorker';
import { DataverseClient } from '../../functions-bridge/src/services/dataverse/dataverseClient';
import { syncTasks } from '../../functions-bridge/src/services/taskSync';
import { startAzurite, startLocalHost, type LocalHost } from '../../functions-bridge/src/host';
import { createTelemetry } from '../../functions-bridge/src/telemetry';
import { leafTasks, markReadyToSync } from './outbound.bench';
import type { Results } from './results';

type Row = Record<string, unknown>;
const SECRET = `whsec_${Buffer.from('pfb-bench-signing-secret-32bytes').toString('base64')}`;
const credential = { getToken: () => Promise.resolve({ token: 'bench', expiresOnTimestamp: Date.now() + 3600_000 }) };
const STAGES: readonly FieldStageName[] = ['Acknowledged', 'Travel', 'Onsite', 'InProgress', 'Complete'];
const PER_DELIVERY = 25;

/** The program, synced and booked: one booking per work order (setup). */
async function bookedProgram(taskCount: number, limits: typeof REAL_LIMITS | null, db = ':memory:'): Promise<{ dv: RunningDataverse; bookings: string[] }> {
  // Setup costs a few dozen requests (bulk messages), well inside the real limits.
  const dv = await startDataverse({ seed: `scale:${taskCount}`, limits, db });
  const client = new DataverseClient({ serviceRoot: dv.url, credential });
  const rowIds = await markReadyToSync(client, leafTasks(dv));
  await syncTasks(rowIds, { dataverse: client, settings: { PLANNING_POLICY: 'perDay' } });
  const store = dv.dataverse.store;
  const requirements = new Map(store.select(msdyn_resourcerequirement.logicalName, '', []).map((r) => [(r['msdyn_workorder'] as { id: string }).id, r['msdyn_resourcerequirementid'] as string]));
  const technicians = store.select(bookableresource.logicalName, '', []).map((r) => r['bookableresourceid'] as string);
  const workOrders = store.select(msdyn_workorder.logicalName, '', []).map((w) => w['msdyn_workorderid'] as string);
  const bookings: string[] = [];
  for (let i = 0; i < workOrders.length; i += 1000) {
    const targets = workOrders.slice(i, i + 1000).map((wo, k) => ({
      name: `Visit ${i + k}`,
      starttime: '2027-04-05T22:00:00Z',
      endtime: '2027-04-06T06:00:00Z',
      'Resource@odata.bind': `/${bookableresource.entitySetName}(${technicians[(i + k) % technicians.length] as string})`,
      'BookingStatus@odata.bind': `/bookingstatuses(${BOOKING_STATUS_IDS.Scheduled})`,
      'msdyn_workorder@odata.bind': `/${msdyn_workorder.entitySetName}(${wo})`,
      ...(requirements.has(wo) ? { 'msdyn_resourcerequirement@odata.bind': `/${msdyn_resourcerequirement.entitySetName}(${requirements.get(wo) as string})` } : {}),
    }));
    const result = (await client.bulk(bookableresourcebooking.entitySetName, 'CreateMultiple', bookableresourcebooking.logicalName, targets)) as { Ids: string[] };
    bookings.push(...result.Ids);
  }
  return { dv, bookings };
}

/** Technician days (5 events per booking), deliveries of PER_DELIVERY in booking order. */
function deliveries(bookings: readonly string[], perDelivery: number): Row[][] {
  const events: Row[] = bookings.flatMap((bookingId, i) =>
    STAGES.map((stage, sequence) => ({
      eventId: randomUUID(),
      bookingId,
      stage,
      occurredAt: new Date(Date.parse('2027-04-05T22:00:00Z') + (i % 50) * 60_000 + sequence * 45 * 60_000).toISOString(),
      sequence,
    })),
  );
  // Stage by stage across bookings, as a day unfolds over many technicians.
  events.sort((a, b) => (a['sequence'] as number) - (b['sequence'] as number));
  const out: Row[][] = [];
  for (let i = 0; i < events.length; i += perDelivery) out.push(events.slice(i, i + perDelivery));
  return out;
}

interface Run {
  readonly events: number;
  readonly seconds: number;
  readonly requests: number;
  readonly latencies: number[];
}

/** The local Dataverse as its own process (as the real service is to the bridge): the CLI on a prepared database file. */
async function dataverseProcess(db: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [...process.execArgv, path.resolve(__dirname, '../../sandbox/dataverse/src/cli.ts'), '--port', '0', '--db', db, '--limits', 'off'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Never outlive the bench, even when it is interrupted.
  const kill = (): void => void child.kill('SIGKILL');
  process.once('exit', kill);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`the local Dataverse exited with ${code} before it was ready`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        process.removeListener('exit', kill);
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function runDeliveries(options: {
  /** The Web API the bridge uses, and how to count its requests. */
  dataverseUrl: string;
  countRequests: () => number;
  resetCount: () => void;
  bookings: readonly string[];
  perDelivery: number;
  /** Events per second to send at; undefined = as fast as the bridge accepts, `concurrency` deliveries in flight. */
  rate?: number;
  concurrency: number;
  worker: { batchWindowMs?: number; maxBatch?: number; rollupIntervalMs?: number };
  /** Called with the Dataverse requests the bridge's client made (when the server cannot count them). */
  onRequests?: (n: number) => void;
}): Promise<Run> {
  const azurite = await startAzurite();
  const completed = new Map<string, number>();
  const clients: DataverseClient[] = [];
  let host: LocalHost | undefined;
  try {
    const settings = readSettings({
      DATAVERSE_URL: options.dataverseUrl,
      DATAVERSE_AUTH: 'static',
      DATAVERSE_STATIC_TOKEN: applicationToken(BRIDGE_APP_ID),
      AzureWebJobsStorage: azurite.connectionString,
      DATAVERSE_WEBHOOK_KEY: 'pfb-bench-webhook-key-0123456789',
      MOBILITY_BASE_URL: 'https://127.0.0.1:9/',
      KEY_VAULT_URL: 'https://127.0.0.1:9/',
      MOBILITY_SIGNING_SECRET: SECRET,
    });
    host = await startLocalHost({
      settings,
      compose: {
        telemetry: createTelemetry({ write: () => undefined }),
        factories: {
          fieldEvent: (deps) => {
            const handle = createFieldEventWorker({ ...deps, ...options.worker });
            clients.push(deps.dataverse);
            return {
              ...handle,
              worker: async (message, context) => {
                await handle.worker(message, context);
                completed.set(message.deliveryId, performance.now());
              },
            };
          },
        },
      },
      queue: { maxPollingIntervalMs: 100 },
    });
    const url = `${host.url}/api/mobility/events`;
    const key = new Webhook(SECRET);
    const batches = deliveries(options.bookings, options.perDelivery);
    const sentAt = new Map<string, number>();
    const post = async (events: Row[]): Promise<void> => {
      const id = `msg_${randomUUID()}`;
      const body = JSON.stringify(events);
      const now = new Date();
      sentAt.set(id, performance.now());
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': key.sign(id, now, body) }, body });
      if (res.status !== 202) throw new Error(`POST /api/mobility/events answered ${res.status}: ${await res.text()}`);
    };
    options.resetCount();
    const started = performance.now();
    if (options.rate) {
      const interval = (1000 * options.perDelivery) / options.rate;
      const inFlight: Promise<void>[] = [];
      for (const [i, events] of batches.entries()) {
        const due = started + i * interval;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        inFlight.push(post(events));
      }
      await Promise.all(inFlight);
    } else {
      let next = 0;
      await Promise.all(
        Array.from({ length: options.concurrency }, async () => {
          while (next < batches.length) await post(batches[next++] as Row[]);
        }),
      );
    }
    const deadline = Date.now() + 300_000;
    while (completed.size < sentAt.size) {
      if (Date.now() > deadline) throw new Error(`only ${completed.size} of ${sentAt.size} deliveries completed in 5 minutes`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (Math.max(...completed.values()) - started) / 1000;
    options.onRequests?.(clients.reduce((a, c) => a + c.stats.requests, 0));
    const latencies = [...sentAt].map(([id, t]) => (completed.get(id) as number) - t).sort((a, b) => a - b);
    return { events: batches.reduce((a, b) => a + b.length, 0), seconds, requests: options.countRequests(), latencies };
  } finally {
    await host?.stop();
    await azurite.stop();
  }
}

const p95 = (sorted: readonly number[]): number => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] ?? NaN;
const BATCHED = {};
const PER_EVENT = { batchWindowMs: 0, maxBatch: 1, rollupIntervalMs: 0 };

export async function benchInbound(quick: boolean): Promise<Results> {
  const taskCount = quick ? 60 : 450;
  const peakRate = quick ? 100 : 200;

  // Capacity, limits off: the program prepared in a database file, then served by the local Dataverse's own process.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pfb-inbound-'));
  const db = path.join(dir, 'dataverse.db');
  const off = await bookedProgram(taskCount, null, db);
  await off.dv.close();
  const server = await dataverseProcess(db);
  const half = Math.floor(off.bookings.length / 2);
  let capacity: Run;
  let naiveCapacity: Run;
  try {
    // Requests are counted by the bridge's client here (the server is another process); a $batch counts as one.
    let counted = 0;
    const counting = { countRequests: () => counted, resetCount: () => (counted = 0) };
    const target = { dataverseUrl: server.url, ...counting, onRequests: (n: number) => (counted += n) };
    capacity = await runDeliveries({ ...target, bookings: off.bookings.slice(0, half), perDelivery: PER_DELIVERY, concurrency: 8, worker: BATCHED });
    naiveCapacity = await runDeliveries({ ...target, bookings: off.bookings.slice(half, half + Math.min(half, quick ? 60 : 200)), perDelivery: 1, concurrency: 8, worker: PER_EVENT });
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // Requests and latency at the peak rate, real limits.
  const on = await bookedProgram(taskCount, REAL_LIMITS);
  const peakBookings = on.bookings.slice(0, Math.min(on.bookings.length, Math.floor((peakRate * (quick ? 10 : 20)) / STAGES.length)));
  const peak = await runDeliveries({ dataverseUrl: on.dv.url, countRequests: () => on.dv.server.stats.total, resetCount: () => on.dv.server.resetStats(), bookings: peakBookings, perDelivery: PER_DELIVERY, rate: peakRate, concurrency: 8, worker: BATCHED });
  await on.dv.close();

  const eps = capacity.events / capacity.seconds;
  const naiveEps = naiveCapacity.events / naiveCapacity.seconds;
  const notes = `${off.bookings.length} bookings of ${taskCount} synced tasks; days of 5 events in signed deliveries of ${PER_DELIVERY}`;
  return {
    'inbound.eventsPerSecond': {
      value: Math.round(eps),
      unit: 'events/s',
      baseline: Math.round(naiveEps),
      notes: `${capacity.events} events in ${capacity.seconds.toFixed(1)} s to recorded and rolled up, local Dataverse limits off, one bridge instance (local host, Azurite), load generator on the same 2 cores; ${notes}. Baseline: per-event worker (no batching, no coalescing), one event per delivery, ${naiveCapacity.events} events`,
    },
    'inbound.requestsPerEvent': {
      value: Number((peak.requests / peak.events).toFixed(4)),
      unit: 'requests/event',
      baseline: Number((naiveCapacity.requests / naiveCapacity.events).toFixed(2)),
      notes: `${peak.requests} Dataverse requests (as Dataverse counts them) for ${peak.events} events at ${peakRate} events/s, real limits, including loading each project once; baseline: the per-event worker`,
    },
    'inbound.p95LatencyMs': {
      value: Math.round(p95(peak.latencies)),
      unit: 'ms',
      notes: `POST → project roll-up written, ${peak.events} events at ${peakRate} events/s in deliveries of ${PER_DELIVERY}, real limits; median ${Math.round(peak.latencies[Math.floor(peak.latencies.length / 2)] ?? NaN)} ms; roll-ups flushed every 1 s`,
    },
  };
}

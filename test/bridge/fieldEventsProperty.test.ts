/**
 * Property, through the real endpoint, queue and worker: whatever the delivery — events shuffled, duplicated, split
 * into deliveries of any size, sent concurrently, whole deliveries replayed — the figures written to Dataverse equal
 * those of one in-order delivery of the same events (worked out by the domain's roll-up over the same program shape).
 * Each run uses a task of its own; the project's figures accumulate across runs and are checked every time.
 */
import {
  applyFieldEvent,
  buildRollupIndex,
  projectProgressColumns,
  taskSyncColumns,
  type FieldEvent,
  type RollupIndex,
} from '@pfb/domain';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { dayOf, deliver, syncAndBook, type StageEvent, type SyncedTask } from './fieldSupport';
import { eventually, noMobility, registerTaskSyncWebhook, startBridgeStack, type BridgeStack } from './support';

type Row = Record<string, unknown>;
const RUNS = 4;
let stack: BridgeStack;
let tasks: SyncedTask[];
let model: RollupIndex;


beforeAll(async () => {
  // Retries every 2 s instead of 30: a delivery whose write met a conflict settles within the test's wait.
  stack = await startBridgeStack({ env: { QUEUE_RETRY_SECONDS: '2' }, compose: () => ({ factories: { mobility: () => noMobility }, fieldEvent: { batchWindowMs: 30, maxBatch: 40, rollupIntervalMs: 150 } }) });
  await registerTaskSyncWebhook(stack.api, stack.host.url);
  tasks = await syncAndBook(stack, RUNS);
  model = buildRollupIndex({
    tasks: tasks.map((t) => ({ taskId: t.taskSyncId, projectId: t.projectId, estimateHours: t.estimateHours })),
    workOrders: tasks.flatMap((t) => t.workOrders.map((w) => ({ workOrderId: w.id, taskId: t.taskSyncId, plannedEffortHours: w.plannedEffortHours }))),
    bookings: tasks.flatMap((t) => t.workOrders.map((w) => ({ bookingId: w.bookingId, workOrderId: w.id }))),
  });
}, 180_000);
afterAll(() => stack?.stop());

const day = fc.record({
  travel: fc.integer({ min: 0, max: 60 }),
  drive: fc.integer({ min: 1, max: 120 }),
  setup: fc.integer({ min: 0, max: 30 }),
  work: fc.integer({ min: 1, max: 600 }),
  incomplete: fc.boolean(),
  /** A late duplicate of Travel with an earlier timestamp (offline phone). */
  lateEarlier: fc.boolean(),
});

const delivery = fc.record({
  seed: fc.integer(),
  copies: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 60, maxLength: 60 }),
  chunk: fc.integer({ min: 1, max: 25 }),
  replayEvery: fc.integer({ min: 2, max: 6 }),
  concurrent: fc.boolean(),
});

function shuffle<T>(items: T[], seed: number): T[] {
  let s = seed >>> 0 || 1;
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i -= 1) {
    s = (s * 1664525 + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const taskColumns = Object.keys(taskSyncColumns(buildRollupIndex({ tasks: [{ taskId: 't', projectId: 'p', estimateHours: 1 }], workOrders: [], bookings: [] }).tasks.get('t')!.agg));

function same(actual: Row, expected: Record<string, unknown>): boolean {
  return Object.entries(expected).every(([k, v]) => {
    const a = actual[k];
    if (typeof v === 'number' && typeof a === 'number') return Math.abs(v - a) < 0.006;
    return (v ?? null) === (a ?? null);
  });
}

let run = 0;
it('gives the figures of one in-order delivery, whatever the order, duplicates and replays', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(day, { minLength: 12, maxLength: 12 }), delivery, async (days, how) => {
      const task = tasks[run] as SyncedTask;
      run += 1;
      const events: StageEvent[] = task.workOrders.flatMap((wo, i) => {
        const d = days[i % days.length] as (typeof days)[number];
        const start = `2027-06-${String(1 + i).padStart(2, '0')}T21:00:00Z`;
        const onsite = d.travel + d.drive;
        const list = dayOf(wo.bookingId, start, { travel: d.travel, onsite, inProgress: onsite + d.setup, end: onsite + d.setup + d.work }, d.incomplete ? 'Incomplete' : 'Complete');
        if (d.lateEarlier) list.push({ ...(list[1] as StageEvent), eventId: randomUUID(), occurredAt: start, sequence: 5 });
        return list;
      });

      // In order, once, through the domain: the figures to expect.
      const inOrder = [...events].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.sequence - b.sequence);
      for (const e of inOrder) applyFieldEvent(model, e as FieldEvent);
      const expectedTask = taskSyncColumns(model.tasks.get(task.taskSyncId)!.agg);
      const expectedProject = projectProgressColumns(model.projects.get(task.projectId)!.agg);

      // Any order, duplicated, chunked, replayed, maybe concurrent.
      const stream = shuffle(events.flatMap((e, i) => Array.from({ length: how.copies[i % how.copies.length] as number }, () => e)), how.seed);
      const chunks: StageEvent[][] = [];
      for (let i = 0; i < stream.length; i += how.chunk) chunks.push(stream.slice(i, i + how.chunk));
      const sendOne = async (c: StageEvent[], k: number): Promise<void> => {
        const first = await deliver(stack, c);
        expect(first.status).toBe(202);
        if (k % how.replayEvery === 0) expect((await deliver(stack, c, { id: first.id })).status).toBe(409);
      };
      if (how.concurrent) await Promise.all(chunks.map(sendOne));
      else for (const [k, c] of chunks.entries()) await sendOne(c, k);

      const row = await eventually(
        `task ${task.taskSyncId} figures equal to the in-order delivery`,
        async () => {
          const r = (await stack.api.get(`pfb_tasksyncs(${task.taskSyncId})?$select=${taskColumns.join(',')}`)).json<Row>();
          return same(r, expectedTask as unknown as Record<string, unknown>) ? r : undefined;
        },
        30_000,
      ).catch(async (e: unknown) => {
        const r = (await stack.api.get(`pfb_tasksyncs(${task.taskSyncId})?$select=${taskColumns.join(',')}`)).json<Row>();
        const warnings = stack.lines.filter((l) => l.level !== 'info' && !l.message.includes('refused with 409')).map((l) => l.message);
        throw new Error(`${(e as Error).message}\nexpected ${JSON.stringify(expectedTask)}\nactual   ${JSON.stringify(r)}\nbridge warnings: ${JSON.stringify(warnings.slice(-10))}`);
      });
      expect(row).toBeDefined();
      await eventually('project figures equal to the in-order delivery', async () => {
        const p = (await stack.api.get(`pfb_projectprogresses?$filter=_pfb_project_value eq ${task.projectId}`)).json<{ value: Row[] }>().value[0];
        return p && same(p, expectedProject as unknown as Record<string, unknown>) ? true : undefined;
      });
      // Each distinct event recorded exactly once.
      const ids = new Set(events.map((e) => e.eventId));
      const recorded = (await stack.api.get(`pfb_fieldevents?$select=pfb_eventid&$filter=Microsoft.Dynamics.CRM.In(PropertyName='pfb_booking',PropertyValues=[${task.workOrders.map((w) => `'${w.bookingId}'`).join(',')}])`)).json<{ value: Row[] }>().value;
      expect(recorded.map((r) => r['pfb_eventid']).sort()).toEqual([...ids].sort());
    }),
    { numRuns: RUNS, endOnFailure: true },
  );
  expect(stack.exceptions()).toEqual([]);
}, 240_000);

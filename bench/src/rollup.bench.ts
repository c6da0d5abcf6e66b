/**
 * Roll-up cost per field event (DESIGN §7 "Roll-up cost per event flat from a 10-task to a 50,000-booking program"):
 * one applied event = applyEvent + the incremental roll-ups booking → work order → task → project + the output
 * columns of the rows that changed (what the field-event worker does per event, without I/O). Both programs have the
 * same shape per task (10 work orders × 2 bookings); only their size differs. The baseline is the naive way: fold the
 * event, then recompute the event's whole project from all its bookings' states.
 */
import {
  applyEvent,
  applyFieldEvent,
  bookingRollup,
  buildRollupIndex,
  projectProgressColumns,
  recomputeProject,
  recomputeTask,
  recomputeWorkOrder,
  taskRollup,
  taskSyncColumns,
  workOrderRollup,
  type BookingState,
  type FieldEvent,
  type FieldStageName,
  type ProgramShape,
} from '@pfb/domain';
import { seededRandom } from '../../sandbox/random';
import type { Results } from './results';

const WORK_ORDERS_PER_TASK = 10;
const BOOKINGS_PER_WORK_ORDER = 2;

/** Deterministic PRNG so runs compare. */
const prng = seededRandom;

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

function iso(epochMs: number, offsetMinutes: number): string {
  const local = new Date(epochMs + offsetMinutes * 60000).toISOString().slice(0, 19);
  return `${local}+${String(offsetMinutes / 60).padStart(2, '0')}:00`;
}

interface Program {
  readonly shape: ProgramShape;
  /** Every event of every booking, each once. */
  readonly events: FieldEvent[];
  readonly projectOf: Map<string, string>;
}

/** `projects` × `tasksPerProject` tasks, 10 work orders each, 2 bookings each, and a field day per booking. */
function buildProgram(projects: number, tasksPerProject: number, random: () => number): Program {
  const shape = { tasks: [] as ProgramShape['tasks'][number][], workOrders: [] as ProgramShape['workOrders'][number][], bookings: [] as ProgramShape['bookings'][number][] };
  const events: FieldEvent[] = [];
  const projectOf = new Map<string, string>();
  let n = 0;
  const day0 = Date.UTC(2027, 0, 4, 20, 0, 0); // 07:00 in Sydney (+11:00)
  for (let p = 0; p < projects; p += 1) {
    const projectId = `project-${p}`;
    for (let t = 0; t < tasksPerProject; t += 1) {
      const taskId = `${projectId}/task-${t}`;
      shape.tasks.push({ taskId, projectId, estimateHours: WORK_ORDERS_PER_TASK * 8 });
      for (let w = 0; w < WORK_ORDERS_PER_TASK; w += 1) {
        const workOrderId = `${taskId}:${w}`;
        shape.workOrders.push({ workOrderId, taskId, plannedEffortHours: 8 });
        for (let b = 0; b < BOOKINGS_PER_WORK_ORDER; b += 1) {
          const bookingId = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
          shape.bookings.push({ bookingId, workOrderId });
          projectOf.set(bookingId, projectId);
          const stages: FieldStageName[] = ['Acknowledged', 'Travel', 'Onsite', 'InProgress', random() < 0.85 ? 'Complete' : 'Incomplete'];
          let at = day0 + Math.floor(random() * 365) * 86400000;
          const offset = random() < 0.5 ? 600 : 660;
          stages.forEach((stage, i) => {
            at += Math.floor(5 + random() * 180) * 60000;
            events.push({
              eventId: `${n}-${i}`,
              bookingId,
              stage,
              occurredAt: iso(at, offset),
              sequence: i + 1,
              ...(stage === 'Incomplete' ? { reason: 'Parts missing', remainingEffortHours: 2 } : {}),
            });
          });
          n += 1;
        }
      }
    }
  }
  return { shape, events, projectOf };
}

/** Incremental: events through the roll-up index. Returns µs per event for each chunk of `chunk` events. */
function* incrementalChunks(program: Program, chunk: number, fraction: number, random: () => number): Generator<number> {
  // The same fraction of each booking's stream is delivered in both programs, so the mix of Applied and Stale events
  // matches; a small program is re-delivered from a fresh index (not timed) when its share is used up.
  const share = Math.max(1, Math.round(program.events.length * fraction));
  let index = buildRollupIndex(program.shape);
  let pool = shuffle([...program.events], random);
  let next = 0;
  for (;;) {
    let elapsed = 0;
    let done = 0;
    while (done < chunk) {
      if (next >= share) {
        index = buildRollupIndex(program.shape);
        pool = shuffle(pool, random);
        next = 0;
      }
      const take = Math.min(chunk - done, share - next);
      const slice = pool.slice(next, next + take);
      const t = performance.now();
      for (const e of slice) applyFieldEvent(index, e);
      elapsed += performance.now() - t;
      next += take;
      done += take;
    }
    yield (elapsed * 1000) / chunk;
  }
}

/** Naive: fold the event, then recompute its project from every booking's state. */
function naivePerEventMicros(program: Program, count: number, random: () => number): number {
  const states = new Map<string, BookingState>();
  const tasksByProject = new Map<string, ProgramShape['tasks'][number][]>();
  for (const t of program.shape.tasks) tasksByProject.set(t.projectId, [...(tasksByProject.get(t.projectId) ?? []), t]);
  const workOrdersByTask = new Map<string, ProgramShape['workOrders'][number][]>();
  for (const w of program.shape.workOrders) workOrdersByTask.set(w.taskId, [...(workOrdersByTask.get(w.taskId) ?? []), w]);
  const bookingsByWorkOrder = new Map<string, string[]>();
  for (const b of program.shape.bookings) bookingsByWorkOrder.set(b.workOrderId, [...(bookingsByWorkOrder.get(b.workOrderId) ?? []), b.bookingId]);
  const events = shuffle([...program.events], random).slice(0, count);
  const t = performance.now();
  for (const e of events) {
    states.set(e.bookingId, applyEvent(states.get(e.bookingId), e).state);
    const projectId = program.projectOf.get(e.bookingId) as string;
    const tasks = (tasksByProject.get(projectId) ?? []).map((task) => {
      const wos = (workOrdersByTask.get(task.taskId) ?? []).map((w) =>
        workOrderRollup(recomputeWorkOrder(w.plannedEffortHours, (bookingsByWorkOrder.get(w.workOrderId) ?? []).map((id) => bookingRollup(states.get(id))))),
      );
      const agg = recomputeTask(task.estimateHours, wos);
      taskSyncColumns(agg);
      return taskRollup(agg);
    });
    projectProgressColumns(recomputeProject(tasks));
  }
  return ((performance.now() - t) * 1000) / events.length;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export async function benchRollup(quick: boolean): Promise<Results> {
  const random = prng(20270301);
  const small = buildProgram(1, 10, random);
  const large = buildProgram(5, 500, random);
  const timedEvents = quick ? 5000 : 20000;
  const chunks = quick ? 10 : 20;
  const chunk = timedEvents / chunks;
  // The share of each booking's stream delivered while timing: 20,000 of the 50,000-booking program's events.
  const fraction = timedEvents / large.events.length;

  // Warm up the JIT on the small program, untimed.
  const warm = incrementalChunks(small, 2000, fraction, random);
  for (let i = 0; i < 3; i += 1) warm.next();

  const smallRuns = incrementalChunks(small, chunk, fraction, random);
  const largeRuns = incrementalChunks(large, chunk, fraction, random);
  const smallMicros: number[] = [];
  const largeMicros: number[] = [];
  const ratios: number[] = [];
  // Chunks alternate between the programs, so a busy moment on a shared machine hits both; the ratio is the median
  // of the paired ratios.
  for (let i = 0; i < chunks; i += 1) {
    const s = smallRuns.next().value as number;
    const l = largeRuns.next().value as number;
    smallMicros.push(s);
    largeMicros.push(l);
    ratios.push(l / s);
  }
  const small10 = median(smallMicros);
  const large50k = median(largeMicros);
  const naiveSmall = naivePerEventMicros(small, quick ? 500 : 2000, random);
  const naiveLarge = naivePerEventMicros(large, quick ? 20 : 60, random);

  const shape = `${WORK_ORDERS_PER_TASK} work orders × ${BOOKINGS_PER_WORK_ORDER} bookings per task`;
  const what = 'applyEvent + incremental roll-ups booking → work order → task → project + output columns of the changed rows, no I/O';
  const how = `median of ${chunks} alternating chunks of ${chunk} distinct events in random order (out-of-order and late included; ${round(fraction * 100, 1)}% of each booking's stream)`;
  return {
    'rollup.costPerEvent10TasksMicros': {
      value: round(small10, 2),
      unit: 'µs/event',
      baseline: round(naiveSmall, 2),
      notes: `1 project, 10 tasks, ${small.shape.bookings.length} bookings (${shape}): ${what}; ${how}; baseline recomputes the event's project from all its bookings`,
    },
    'rollup.costPerEvent50kBookingsMicros': {
      value: round(large50k, 2),
      unit: 'µs/event',
      baseline: round(naiveLarge, 2),
      notes: `program of 5 projects × 500 tasks, ${large.shape.bookings.length} bookings (${shape}), aggregates built first: ${what}; ${how}; baseline recomputes the event's project (10,000 bookings)`,
    },
    'rollup.costRatio50kBookingsTo10Tasks': {
      value: round(median(ratios), 2),
      unit: 'ratio',
      baseline: round(naiveLarge / naiveSmall, 1),
      notes:
        'cost per event of the 50,000-booking program ÷ the 10-task project, median of paired chunk ratios (target: flat); the work per event is the same ' +
        '(one booking, one work order, one task, one project); what remains is memory (cache misses on a 50,000-booking heap). Baseline: the same ratio ' +
        'when each event recomputes its project',
    },
  };
}

/**
 * The field-event queue worker. The host hands it messages many at a time (each a delivery of up to 100 events); a
 * micro-batcher gathers the events of concurrent messages into one batch — one `$batch` request for up to ~500
 * events — and a roll-up writer writes each touched task and project once per interval (rollupWriter.ts). A message
 * settles when its events are recorded AND the roll-ups they changed are written, so a process that dies in between
 * leaves the message on the queue: its retry finds the events recorded (duplicates), reloads the project from them and
 * writes the figures that differ. Nothing is lost, nothing counted twice.
 *
 * Per message: events rejected for good (the booking was deleted or canceled) are logged and dropped; a failed change
 * set or roll-up write throws, and the queue retries the message after its visibility timeout (30 s), up to the
 * dequeue budget, then poisons it (the poison handler tracks the exception).
 */
import type { FieldEvent } from '@pfb/domain';
import type { DataverseClient } from '../dataverse/dataverseClient';
import type { FieldEventMessage } from '../queueMessages';
import { MicroBatcher } from '../taskSync/microBatcher';
import type { PoisonHandler, QueueWorker, WorkerContext } from '../workerContract';
import { applyEvents, type EventResult } from './applyEvents';
import { ensureFieldStageStatuses, type FieldStageStatuses } from './bookingStatuses';
import { FieldState } from './fieldState';
import { RollupWriter } from './rollupWriter';
import { ScheduleWriteBack } from './scheduleWriteBack';

export interface FieldEventWorkerDeps {
  readonly dataverse: DataverseClient;
  readonly log: WorkerContext['log'];
  readonly trackException?: (error: Error, properties: Readonly<Record<string, string>>) => void;
  /** How long the first event of a batch waits for others (default 100 ms). */
  readonly batchWindowMs?: number;
  /** Events per batch at most (default 500: with the booking updates, at most 1,000 operations in one $batch). */
  readonly maxBatch?: number;
  /** Roll-up writes at most once per this interval per row (default 1,000 ms). */
  readonly rollupIntervalMs?: number;
  readonly now?: () => Date;
  /** Optional: write % complete back to the project tasks through the schedule APIs (off unless given). */
  readonly scheduleWriteBack?: { readonly client: DataverseClient; readonly intervalMs: number; readonly pollMs?: number };
}

export interface FieldEventWorker {
  readonly worker: QueueWorker<FieldEventMessage>;
  readonly onPoison: PoisonHandler<FieldEventMessage>;
  /** Figures: events by outcome, batches, roll-up rows written, requests spent loading. */
  readonly stats: () => FieldEventStats;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface FieldEventStats {
  applied: number;
  stale: number;
  duplicate: number;
  rejected: number;
  retried: number;
  batches: number;
  rollupRowsWritten: number;
  rollupFlushes: number;
  loadRequests: number;
}

export const DEFAULT_EVENT_BATCH_WINDOW_MS = 100;
export const DEFAULT_EVENT_MAX_BATCH = 500;
export const DEFAULT_ROLLUP_INTERVAL_MS = 1000;

export function createFieldEventWorker(deps: FieldEventWorkerDeps): FieldEventWorker {
  const now = deps.now ?? (() => new Date());
  let statuses: Promise<FieldStageStatuses> | undefined;
  const ensureStatuses = (): Promise<FieldStageStatuses> => {
    statuses ??= ensureFieldStageStatuses(deps.dataverse, (m) => deps.log('info', m)).catch((e: unknown) => {
      statuses = undefined;
      throw e;
    });
    return statuses;
  };
  let loaded: FieldStageStatuses | undefined;
  const state = new FieldState(deps.dataverse, () => {
    if (!loaded) throw new Error('The field-stage booking statuses are not loaded yet.');
    return loaded;
  });
  const writeBack = deps.scheduleWriteBack ? new ScheduleWriteBack({ ...deps.scheduleWriteBack, log: deps.log }) : undefined;
  const rollups = new RollupWriter({
    client: deps.dataverse,
    state,
    intervalMs: deps.rollupIntervalMs ?? DEFAULT_ROLLUP_INTERVAL_MS,
    log: deps.log,
    ...(writeBack ? { onTaskWritten: (projectId: string, projectTaskId: string, columns: { pfb_percentcomplete: number }) => writeBack.note(projectId, projectTaskId, columns.pfb_percentcomplete) } : {}),
  });
  const counts: FieldEventStats = { applied: 0, stale: 0, duplicate: 0, rejected: 0, retried: 0, batches: 0, rollupRowsWritten: 0, rollupFlushes: 0, loadRequests: 0 };
  const waiting = new Map<string, FieldEvent>();
  const projectOf = new Map<string, Set<string>>();

  const batcher = new MicroBatcher<EventResult>({
    windowMs: deps.batchWindowMs ?? DEFAULT_EVENT_BATCH_WINDOW_MS,
    maxBatch: deps.maxBatch ?? DEFAULT_EVENT_MAX_BATCH,
    missing: (eventId) => ({ kind: 'retry', reason: `event ${eventId} was not processed` }),
    run: async (eventIds) => {
      const events = eventIds.map((id) => waiting.get(id)).filter((e): e is FieldEvent => e !== undefined);
      for (const id of eventIds) waiting.delete(id);
      counts.batches += 1;
      loaded = await ensureStatuses();
      const applyDeps = { client: deps.dataverse, state, statuses: loaded, now };
      const batch = await applyEvents(events, applyDeps);
      // A booking whose change set was refused (its version moved, or one of its events is already recorded — the
      // alternate key doing its job) has been dropped from memory: apply its events once more at once, recomputed
      // from what Dataverse holds (DESIGN §8), instead of leaving them to the queue's 30-second retry.
      const again = events.filter((e) => batch.results.get(e.eventId)?.kind === 'retry');
      const second = again.length > 0 ? await applyEvents(again, applyDeps) : undefined;
      for (const pass of second ? [batch, second] : [batch]) {
        for (const t of pass.tasks) rollups.markTask(t.projectId, t.taskSyncId, t.columns);
        for (const p of pass.projects) rollups.markProject(p.projectId, p.columns);
      }
      if (second) for (const [id, result] of second.results) batch.results.set(id, result);
      // Projects touched by each event, so its message waits for their roll-ups.
      for (const e of events) {
        const entry = state.bookings.get(e.bookingId);
        if (entry?.projectId) projectOf.set(e.eventId, new Set([entry.projectId]));
      }
      return batch.results;
    },
  });

  const worker: QueueWorker<FieldEventMessage> = async (message, context) => {
    const outcomes = await Promise.all(
      message.events.map((event) => {
        // Two copies of one event in flight share the batch's single result (the batcher keys by event id).
        if (!waiting.has(event.eventId)) waiting.set(event.eventId, event);
        return batcher.submit(event.eventId).then((r) => [event, r] as const);
      }),
    );
    const retry: string[] = [];
    const projects = new Set<string>();
    for (const [event, result] of outcomes) {
      for (const p of projectOf.get(event.eventId) ?? []) projects.add(p);
      projectOf.delete(event.eventId);
      if (result.kind === 'retry') {
        counts.retried += 1;
        retry.push(`${event.eventId}: ${result.reason}`);
      } else if (result.kind === 'rejected') {
        counts.rejected += 1;
        context.log('warn', `field event ${event.eventId} (${event.stage} of booking ${event.bookingId}) dropped: ${result.reason}`, { eventId: event.eventId, bookingId: event.bookingId });
      } else if (result.outcome === 'Applied') counts.applied += 1;
      else if (result.outcome === 'Stale') counts.stale += 1;
      else counts.duplicate += 1;
    }
    if (retry.length > 0) throw new Error(`${retry.length} of ${message.events.length} field event(s) of delivery ${message.deliveryId} took no effect and will be retried: ${retry.slice(0, 3).join('; ')}`);
    await rollups.written(projects);
  };

  const onPoison: PoisonHandler<FieldEventMessage> = async (message, lastError, context) => {
    context.log('error', `field-event delivery ${message.deliveryId} (${message.events.length} events) failed after ${context.dequeueCount} attempts: ${lastError}`, {
      deliveryId: message.deliveryId,
    });
    deps.trackException?.(new Error(`Field events of delivery ${message.deliveryId} were not applied: ${lastError}`), {
      failure: 'FieldEventPoisoned',
      recordId: message.events[0]?.bookingId ?? '',
      deliveryId: message.deliveryId,
      step: 'apply-field-events',
    });
  };

  return {
    worker,
    onPoison,
    stats: () => ({ ...counts, rollupRowsWritten: rollups.rowsWritten, rollupFlushes: rollups.flushes, loadRequests: state.loads }),
    async flush() {
      await batcher.flush();
      await rollups.flush();
      await writeBack?.flush();
    },
    async close() {
      await batcher.close();
      await rollups.close();
      await writeBack?.close();
    },
  };
}

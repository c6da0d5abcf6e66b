/**
 * One batch of mobility events → one `$batch` request: per booking, one change set with its new `pfb_fieldevent`
 * rows and the booking's update (field stage, actuals, booking status), conditional on the booking's row version.
 * Within a change set everything commits or nothing does (DESIGN §3: "an event either takes full effect once or not at
 * all"); across bookings, a conflict on one leaves the others applied.
 *
 * Idempotency lives in Dataverse, not here: the alternate key on `pfb_eventid` refuses a second row for an event, so
 * a replay that slips past this process's memory (another instance, a restart) fails its change set and the retry
 * reloads the booking's events, where the replay is then a plain duplicate.
 */
import {
  applyEvent,
  applyFieldEvent,
  bookableresourcebooking,
  bookingColumns,
  EventOutcome,
  fieldStageChoice,
  pfb_fieldevent,
  projectProgressColumns,
  taskSyncColumns,
  type BookingState,
  type EventOutcomeName,
  type FieldEvent,
  type ProjectProgressColumns,
  type TaskSyncColumns,
} from '@pfb/domain';
import type { DataverseClient } from '../dataverse/dataverseClient';
import { partError, type BatchItem, type BatchRequest } from '../dataverse/odataBatch';
import { BATCH_LIMIT, BOOKING, bind, primaryKey } from '../taskSync/names';
import type { FieldStageStatuses } from './bookingStatuses';
import type { FieldState } from './fieldState';

const EVENT = pfb_fieldevent.columns;
const BOOKING_ID = primaryKey(bookableresourcebooking).logicalName;

export type EventResult =
  | { readonly kind: 'applied'; readonly outcome: EventOutcomeName }
  | { readonly kind: 'rejected'; readonly reason: string }
  /** The booking's change set failed (conflict or refusal): the event took no effect; the queue retries it. */
  | { readonly kind: 'retry'; readonly reason: string };

export interface AppliedBatch {
  readonly results: Map<string, EventResult>;
  /** Roll-up rows to write (newest figures), from the bookings whose change sets committed. */
  readonly tasks: Array<{ projectId: string; taskSyncId: string; columns: TaskSyncColumns }>;
  readonly projects: Array<{ projectId: string; columns: ProjectProgressColumns }>;
  /** Projects touched (their roll-ups must be written before the events' messages complete). */
  readonly touched: Set<string>;
  /** Projects dropped after a failed change set (to reload). */
  readonly dropped: Set<string>;
}

interface BookingWork {
  readonly bookingId: string;
  readonly projectId: string | null;
  readonly rows: Array<{ event: FieldEvent; outcome: EventOutcomeName }>;
  state?: BookingState;
  changed: boolean;
}

function eventRow(event: FieldEvent, outcome: EventOutcomeName, receivedOn: string): Record<string, unknown> {
  return {
    [EVENT.pfb_eventid.logicalName]: event.eventId,
    ...bind(EVENT.pfb_booking, event.bookingId),
    [EVENT.pfb_stage.logicalName]: fieldStageChoice(event.stage),
    [EVENT.pfb_occurredon.logicalName]: new Date(event.occurredAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    [EVENT.pfb_receivedon.logicalName]: receivedOn,
    [EVENT.pfb_sequence.logicalName]: event.sequence,
    [EVENT.pfb_outcome.logicalName]: EventOutcome[outcome],
    // The event as received: what a reload folds again (the source of truth).
    [EVENT.pfb_payload.logicalName]: JSON.stringify(event),
  };
}

export async function applyEvents(
  events: readonly FieldEvent[],
  deps: { readonly client: DataverseClient; readonly state: FieldState; readonly statuses: FieldStageStatuses; readonly now: () => Date },
): Promise<AppliedBatch> {
  const { client, state, statuses } = deps;
  const results = new Map<string, EventResult>();
  const touched = new Set<string>();
  const dropped = new Set<string>();
  // Loading a project also reports the roll-ups that differ from its recorded events (a crash or a conflict since):
  // they are written with this batch's.
  const { missing, drift } = await state.prepare(events.map((e) => e.bookingId));

  // 1. Fold the events into the in-memory state, booking by booking.
  const work = new Map<string, BookingWork>();
  const pendingTasks = new Map<string, Map<string, { projectId: string; columns: TaskSyncColumns }>>();
  const pendingProjects = new Set<string>();
  for (const event of events) {
    if (missing.has(event.bookingId)) {
      results.set(event.eventId, { kind: 'rejected', reason: `booking ${event.bookingId} does not exist (deleted after dispatch?); the event cannot be recorded` });
      continue;
    }
    const entry = state.bookings.get(event.bookingId);
    if (!entry) {
      results.set(event.eventId, { kind: 'retry', reason: `booking ${event.bookingId} could not be located; retrying` });
      continue;
    }
    if (entry.canceled) {
      results.set(event.eventId, { kind: 'rejected', reason: `booking ${event.bookingId} is canceled; canceled bookings take no field events` });
      continue;
    }
    let w = work.get(event.bookingId);
    if (!w) {
      w = { bookingId: event.bookingId, projectId: entry.projectId, rows: [], changed: false };
      work.set(event.bookingId, w);
    }
    let outcome: EventOutcomeName;
    const project = entry.projectId ? state.projects.get(entry.projectId) : undefined;
    if (project && project.index.bookings.has(event.bookingId)) {
      const effect = applyFieldEvent(project.index, event);
      outcome = effect.outcome;
      if (effect.changed) {
        w.changed = true;
        w.state = effect.booking?.state ?? w.state;
      }
      if (effect.task) {
        const tasks = pendingTasks.get(event.bookingId) ?? new Map();
        tasks.set(effect.task.id, { projectId: project.projectId, columns: effect.task.columns });
        pendingTasks.set(event.bookingId, tasks);
      }
      if (effect.project) pendingProjects.add(project.projectId);
      touched.add(project.projectId);
    } else {
      // A booking outside any synced task: its own lifecycle, no roll-ups.
      const r = applyEvent(entry.state, event);
      outcome = r.outcome;
      entry.state = r.state;
      if (r.changed) {
        w.changed = true;
        w.state = r.state;
      }
    }
    if (outcome === 'Duplicate') results.set(event.eventId, { kind: 'applied', outcome });
    else w.rows.push({ event, outcome });
  }

  // 2. One change set per booking: its new event rows, then the booking (conditional on its row version).
  const receivedOn = deps.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const sets: Array<{ work: BookingWork; requests: BatchRequest[] }> = [];
  for (const w of work.values()) {
    if (w.rows.length === 0) continue;
    const requests: BatchRequest[] = w.rows.map((r) => ({ method: 'POST', url: pfb_fieldevent.entitySetName, body: eventRow(r.event, r.outcome, receivedOn) }));
    const entry = state.bookings.get(w.bookingId);
    if (w.changed && w.state) {
      requests.push({
        method: 'PATCH',
        url: `${bookableresourcebooking.entitySetName}(${w.bookingId})?$select=${BOOKING_ID}`,
        headers: { 'If-Match': entry?.etag ?? '*', Prefer: 'return=representation' },
        body: { ...bookingColumns(w.state), ...bind(BOOKING.bookingstatus, statuses.idOf(w.state.stage)) },
      });
    }
    sets.push({ work: w, requests });
  }

  const committed: BookingWork[] = [];
  let batch: typeof sets = [];
  let operations = 0;
  const send = async (): Promise<void> => {
    if (batch.length === 0) return;
    const part = batch;
    batch = [];
    operations = 0;
    const items: BatchItem[] = part.map((s) => ({ kind: 'changeSet', requests: s.requests }));
    const answers = await client.sendBatch(`record field events (${part.length} bookings)`, items);
    answers.forEach((answer, i) => {
      const { work: w } = part[i] as (typeof part)[number];
      if (answer.kind === 'changeSet' && answer.ok) {
        const patched = answer.responses[answer.responses.length - 1]?.body as Record<string, unknown> | undefined;
        const entry = state.bookings.get(w.bookingId);
        if (entry && w.changed && typeof patched?.['@odata.etag'] === 'string') entry.etag = patched['@odata.etag'];
        for (const r of w.rows) results.set(r.event.eventId, { kind: 'applied', outcome: r.outcome });
        committed.push(w);
        return;
      }
      const { code, message } = partError(answer.response);
      const reason = `booking ${w.bookingId}: Dataverse answered ${answer.response.status} (${code}): ${message}`;
      for (const r of w.rows) results.set(r.event.eventId, { kind: 'retry', reason });
      // What this process folded for the booking did not happen: reload it from Dataverse.
      if (w.projectId) dropped.add(w.projectId);
      state.dropBooking(w.bookingId);
    });
  };
  for (const s of sets) {
    if (operations + s.requests.length > BATCH_LIMIT) await send();
    batch.push(s);
    operations += s.requests.length;
  }
  await send();

  // 3. Roll-ups of the committed bookings, with the index's current figures (every event of the batch folded in); a
  //    dropped project is recomputed from its events on reload instead.
  const taskIds = new Map<string, string>();
  const projectIds = new Set<string>();
  for (const w of committed) {
    for (const [taskSyncId, t] of pendingTasks.get(w.bookingId) ?? []) if (!dropped.has(t.projectId)) taskIds.set(taskSyncId, t.projectId);
    if (w.projectId && pendingProjects.has(w.projectId) && !dropped.has(w.projectId)) projectIds.add(w.projectId);
  }
  const tasks: AppliedBatch['tasks'] = [];
  for (const [taskSyncId, projectId] of taskIds) {
    const node = state.projects.get(projectId)?.index.tasks.get(taskSyncId);
    if (node) tasks.push({ projectId, taskSyncId, columns: taskSyncColumns(node.agg) });
  }
  const projects: AppliedBatch['projects'] = [];
  for (const projectId of projectIds) {
    const node = state.projects.get(projectId)?.index.projects.get(projectId);
    if (node) projects.push({ projectId, columns: projectProgressColumns(node.agg) });
  }
  for (const d of drift.tasks) {
    if (dropped.has(d.projectId) || taskIds.has(d.taskSyncId)) continue;
    tasks.push(d);
    touched.add(d.projectId);
  }
  for (const d of drift.projects) {
    if (dropped.has(d.projectId) || projectIds.has(d.projectId)) continue;
    projects.push(d);
    touched.add(d.projectId);
  }
  return { results, tasks, projects, touched, dropped };
}

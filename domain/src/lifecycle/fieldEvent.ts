/**
 * A stage event from the mobility app, and its validation at the edge. The bridge validates before it records or
 * applies anything; a rejected event is stored with outcome Rejected and the problems below, in words a mobility
 * integrator can act on.
 */
import { parseEventTime } from './eventTime';
import { FIELD_STAGES, isFieldStageName, type FieldStageName } from './fieldStage';

export interface FieldEvent {
  /** Unique per event; a replay carries the same id (idempotency key, `pfb_fieldevent.pfb_eventid`). */
  readonly eventId: string;
  /** The bookableresourcebooking id (GUID) the dispatch sent to the app. */
  readonly bookingId: string;
  readonly stage: FieldStageName;
  /** ISO 8601 with the site's UTC offset, e.g. 2027-03-01T09:30:00+11:00. */
  readonly occurredAt: string;
  /** Per booking, increasing on the device; decides between Complete and Incomplete when both arrive. */
  readonly sequence: number;
  /** Incomplete only: why the work could not be finished. */
  readonly reason?: string;
  /** Incomplete only: the technician's estimate of the work left, in hours. */
  readonly remainingEffortHours?: number;
}

export type FieldEventResult = { ok: true; value: FieldEvent } | { ok: false; problems: string[] };

/** Column sizes of pfb_fieldevent / bookableresourcebooking the values must fit (schema: pfb.ts, fieldservice.ts). */
const MAX_EVENT_ID = 100;
const MAX_REASON = 2000;
const MAX_SEQUENCE = 2147483647;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value) ?? String(value);
}

/** Every problem with the event, in words; empty when it is valid. Unknown extra properties are ignored. */
export function validateFieldEvent(input: unknown): string[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return ['The event must be a JSON object with eventId, bookingId, stage, occurredAt and sequence.'];
  }
  const e = input as Record<string, unknown>;
  const problems: string[] = [];

  if (typeof e['eventId'] !== 'string' || e['eventId'].trim() === '') problems.push('eventId is missing; every event needs its own id so replays can be recognised.');
  else if (e['eventId'].length > MAX_EVENT_ID) problems.push(`eventId is ${e['eventId'].length} characters long; it may be at most ${MAX_EVENT_ID}.`);

  if (typeof e['bookingId'] !== 'string' || e['bookingId'] === '') problems.push('bookingId is missing; send the booking id the dispatch gave you.');
  else if (!GUID.test(e['bookingId'])) problems.push(`bookingId ${describe(e['bookingId'])} is not a booking id; it is a GUID such as 6f1c2a9e-1d2b-4c3d-8e9f-0a1b2c3d4e5f.`);

  const stage = e['stage'];
  if (stage === undefined) problems.push(`stage is missing; send one of ${FIELD_STAGES.join(', ')}.`);
  else if (!isFieldStageName(stage)) problems.push(`stage ${describe(stage)} is not a field stage; send one of ${FIELD_STAGES.join(', ')}.`);

  const time = parseEventTime(e['occurredAt']);
  if (!time.ok) problems.push(time.problem);

  const sequence = e['sequence'];
  if (sequence === undefined) problems.push('sequence is missing; send the per-booking event counter (0, 1, 2, …).');
  else if (typeof sequence !== 'number' || !Number.isInteger(sequence)) problems.push(`sequence ${describe(sequence)} must be a whole number.`);
  else if (sequence < 0) problems.push(`sequence ${sequence} is negative; it counts up from 0.`);
  else if (sequence > MAX_SEQUENCE) problems.push(`sequence ${sequence} is too large; it may be at most ${MAX_SEQUENCE}.`);

  const incomplete = stage === 'Incomplete';
  const reason = e['reason'];
  if (reason !== undefined) {
    if (!incomplete && isFieldStageName(stage)) problems.push(`reason is only for Incomplete events; this event's stage is ${stage}.`);
    else if (typeof reason !== 'string' || reason.trim() === '') problems.push('reason must be text saying why the work could not be finished.');
    else if (reason.length > MAX_REASON) problems.push(`reason is ${reason.length} characters long; it may be at most ${MAX_REASON}.`);
  }
  const remaining = e['remainingEffortHours'];
  if (remaining !== undefined) {
    if (!incomplete && isFieldStageName(stage)) problems.push(`remainingEffortHours is only for Incomplete events; this event's stage is ${stage}.`);
    else if (typeof remaining !== 'number' || !Number.isFinite(remaining)) problems.push(`remainingEffortHours ${describe(remaining)} must be a number of hours.`);
    else if (remaining < 0) problems.push(`remainingEffortHours ${remaining} is negative; send the hours of work left (0 or more).`);
  }
  return problems;
}

/** The event as the domain's type when valid; otherwise every problem. */
export function parseFieldEvent(input: unknown): FieldEventResult {
  const problems = validateFieldEvent(input);
  if (problems.length > 0) return { ok: false, problems };
  const e = input as Record<string, unknown>;
  const value: FieldEvent = {
    eventId: e['eventId'] as string,
    bookingId: (e['bookingId'] as string).toLowerCase(),
    stage: e['stage'] as FieldStageName,
    occurredAt: e['occurredAt'] as string,
    sequence: e['sequence'] as number,
    ...(e['reason'] !== undefined ? { reason: e['reason'] as string } : {}),
    ...(e['remainingEffortHours'] !== undefined ? { remainingEffortHours: e['remainingEffortHours'] as number } : {}),
  };
  return { ok: true, value };
}

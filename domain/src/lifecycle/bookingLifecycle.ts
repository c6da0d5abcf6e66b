/**
 * The booking lifecycle (DESIGN §4): folds mobility stage events into a booking's state and its actuals.
 *
 * Events arrive duplicated, late, out of order and replayed (Storage queues do not order, DESIGN §8), so the state is
 * built from folds that do not care about order:
 * - `eventIds`: the set of ids seen (a repeated id changes nothing);
 * - `firstAt`: the earliest occurrence of each stage (min per stage);
 * - `terminal`: the winning Complete/Incomplete event, the maximum under one total order (below);
 * - `highestSequence`, `lastEventAt`: maxima.
 * Every other field is derived from those. Union, min and max are commutative, associative and idempotent, so the
 * state after any delivery of a set of events equals the state after one in-order delivery of that set.
 *
 * Current stage: the terminal winner once there is one, else the highest-ranked stage seen; a stage never moves
 * backwards. Complete and Incomplete share the top rank; between them the event with the higher sequence wins (the
 * device's latest word, e.g. a technician who returns and finishes), then the later time, then Incomplete (an app
 * that says both at the same instant has not shown the work is done), then the greater event id.
 *
 * Actuals: start = first In Progress, or first Onsite when there is no In Progress; end = first occurrence of the
 * winning terminal stage; effort = end − start (in-progress time up to Complete/Incomplete, never negative, null until
 * both are known); travel = first Onsite − first Travel in minutes (never negative). An event's time is the earliest
 * occurrence of its stage, so a late event still contributes its timestamp.
 */
import { normaliseEventTime, secondsBetween } from './eventTime';
import type { FieldEvent } from './fieldEvent';
import { FIELD_STAGES, isTerminalStage, stageRank, type FieldStageName, type TerminalStageName } from './fieldStage';

/** The Complete/Incomplete event that decides how the booking ended. */
export interface TerminalEvent {
  readonly stage: TerminalStageName;
  readonly eventId: string;
  readonly sequence: number;
  /** This event's own time (UTC); the booking's end is the first occurrence of its stage. */
  readonly at: string;
  readonly reason: string | null;
  readonly remainingEffortHours: number | null;
}

/** Plain JSON: the bridge persists it per booking and passes it back in. Times are UTC ISO to the second. */
export interface BookingState {
  readonly bookingId: string;
  /** Current stage and the first time it was reached. */
  readonly stage: FieldStageName;
  readonly stageAt: string;
  readonly highestSequence: number;
  /** Latest occurrence of any event (the project's last field update). */
  readonly lastEventAt: string;
  /** Event ids seen, sorted. */
  readonly eventIds: readonly string[];
  /** Earliest occurrence per stage, keys in lifecycle order. */
  readonly firstAt: Readonly<Partial<Record<FieldStageName, string>>>;
  readonly terminal: TerminalEvent | null;
  readonly actualStart: string | null;
  readonly actualEnd: string | null;
  readonly actualEffortHours: number | null;
  readonly travelMinutes: number | null;
  readonly incompleteReason: string | null;
  readonly remainingEffortHours: number | null;
  /** True only when the booking ended Complete; Incomplete is not completed work. */
  readonly completed: boolean;
}

export type EventOutcomeName = 'Applied' | 'Duplicate' | 'Stale';

export interface ApplyResult {
  readonly state: BookingState;
  /** Applied: the event moved the booking (first event, a later stage, or the new terminal winner). Stale: it did
   * not, though its timestamp may still have changed the actuals. Duplicate: its id was seen before. */
  readonly outcome: EventOutcomeName;
  /** Whether anything but the id list changed: the booking's columns and the roll-ups need writing. */
  readonly changed: boolean;
}

/** The total order between terminal events: > 0 when `a` wins. */
function compareTerminal(a: TerminalEvent, b: TerminalEvent): number {
  if (a.sequence !== b.sequence) return a.sequence - b.sequence;
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  if (a.stage !== b.stage) return a.stage === 'Incomplete' ? 1 : -1;
  if (a.eventId !== b.eventId) return a.eventId < b.eventId ? -1 : 1;
  return 0;
}

function insertSorted(ids: readonly string[], id: string): string[] | undefined {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = ids[mid] as string;
    if (v === id) return undefined;
    if (v < id) lo = mid + 1;
    else hi = mid;
  }
  const out = ids.slice();
  out.splice(lo, 0, id);
  return out;
}

interface Core {
  readonly bookingId: string;
  readonly highestSequence: number;
  readonly lastEventAt: string;
  readonly eventIds: readonly string[];
  readonly firstAt: Readonly<Partial<Record<FieldStageName, string>>>;
  readonly terminal: TerminalEvent | null;
}

/** Everything else is a function of the folds, so it cannot depend on delivery order. */
function derive(core: Core): BookingState {
  const { firstAt, terminal } = core;
  let stage: FieldStageName | undefined = terminal?.stage;
  if (!stage) {
    for (const s of FIELD_STAGES) if (firstAt[s] !== undefined && (stage === undefined || stageRank(s) > stageRank(stage))) stage = s;
  }
  if (!stage) throw new Error(`Booking ${core.bookingId} has no stage: its state was built without events.`);
  const actualStart = firstAt.InProgress ?? firstAt.Onsite ?? null;
  const actualEnd = terminal ? (firstAt[terminal.stage] as string) : null;
  const effortSeconds = actualStart !== null && actualEnd !== null ? Math.max(0, secondsBetween(actualStart, actualEnd)) : null;
  const travelSeconds = firstAt.Travel !== undefined && firstAt.Onsite !== undefined ? Math.max(0, secondsBetween(firstAt.Travel, firstAt.Onsite)) : null;
  const incomplete = terminal?.stage === 'Incomplete';
  return {
    bookingId: core.bookingId,
    stage,
    stageAt: firstAt[stage] as string,
    highestSequence: core.highestSequence,
    lastEventAt: core.lastEventAt,
    eventIds: core.eventIds,
    firstAt,
    terminal,
    actualStart,
    actualEnd,
    actualEffortHours: effortSeconds === null ? null : effortSeconds / 3600,
    travelMinutes: travelSeconds === null ? null : travelSeconds / 60,
    incompleteReason: incomplete ? terminal.reason : null,
    remainingEffortHours: incomplete ? terminal.remainingEffortHours : null,
    completed: terminal?.stage === 'Complete',
  };
}

function withFirstAt(firstAt: Core['firstAt'], stage: FieldStageName, at: string): Core['firstAt'] {
  const seen = firstAt[stage];
  if (seen !== undefined && seen <= at) return firstAt;
  const out: Partial<Record<FieldStageName, string>> = {};
  for (const s of FIELD_STAGES) {
    const v = s === stage ? at : firstAt[s];
    if (v !== undefined) out[s] = v;
  }
  return out;
}

/** The fields that are written to the booking and rolled up: everything but the id list. */
function sameFigures(a: BookingState, b: BookingState): boolean {
  if (a.stage !== b.stage || a.stageAt !== b.stageAt || a.highestSequence !== b.highestSequence || a.lastEventAt !== b.lastEventAt) return false;
  if (a.actualStart !== b.actualStart || a.actualEnd !== b.actualEnd || a.actualEffortHours !== b.actualEffortHours) return false;
  if (a.travelMinutes !== b.travelMinutes || a.incompleteReason !== b.incompleteReason || a.remainingEffortHours !== b.remainingEffortHours) return false;
  if (a.completed !== b.completed || a.terminal?.eventId !== b.terminal?.eventId) return false;
  for (const s of FIELD_STAGES) if (a.firstAt[s] !== b.firstAt[s]) return false;
  return true;
}

/**
 * Folds one event into the booking's state. The event must be valid (`validateFieldEvent`) and belong to the
 * state's booking; otherwise this throws, because that is a caller's bug, not a field condition.
 */
export function applyEvent(state: BookingState | undefined, event: FieldEvent): ApplyResult {
  if (state && state.bookingId !== event.bookingId) {
    throw new Error(`Event ${event.eventId} is for booking ${event.bookingId}, not ${state.bookingId}; apply it to its own booking's state.`);
  }
  const eventIds = insertSorted(state?.eventIds ?? [], event.eventId);
  if (!eventIds) return { state: state as BookingState, outcome: 'Duplicate', changed: false };

  const at = normaliseEventTime(event.occurredAt);
  const candidate: TerminalEvent | null = isTerminalStage(event.stage)
    ? {
        stage: event.stage,
        eventId: event.eventId,
        sequence: event.sequence,
        at,
        reason: event.stage === 'Incomplete' ? (event.reason ?? null) : null,
        remainingEffortHours: event.stage === 'Incomplete' ? (event.remainingEffortHours ?? null) : null,
      }
    : null;
  const prevTerminal = state?.terminal ?? null;
  const terminal = candidate && (!prevTerminal || compareTerminal(candidate, prevTerminal) > 0) ? candidate : prevTerminal;
  const next = derive({
    bookingId: event.bookingId,
    highestSequence: Math.max(state?.highestSequence ?? 0, event.sequence),
    lastEventAt: state && state.lastEventAt > at ? state.lastEventAt : at,
    eventIds,
    firstAt: withFirstAt(state?.firstAt ?? {}, event.stage, at),
    terminal,
  });
  if (!state) return { state: next, outcome: 'Applied', changed: true };
  const moved = next.stage !== state.stage || (terminal !== prevTerminal && terminal === candidate);
  return { state: next, outcome: moved ? 'Applied' : 'Stale', changed: !sameFigures(state, next) };
}

/** The state a set of events gives (order and repeats do not matter); undefined when there are none. */
export function bookingStateFromEvents(events: Iterable<FieldEvent>): BookingState | undefined {
  let state: BookingState | undefined;
  for (const e of events) state = applyEvent(state, e).state;
  return state;
}

/** Plain data the progress panel renders. Times are already formatted for the user. */
import type { FieldStageName } from '@pfb/domain/src/lifecycle/fieldStage';

export type ScopeKind = 'workorder' | 'tasksync' | 'task' | 'project';

export interface Scope {
  readonly kind: ScopeKind;
  readonly id: string;
}

export type StepState = 'done' | 'current' | 'passed' | 'upcoming';

export interface StageStep {
  /** For the last step: 'Complete' or 'Incomplete' once known, else 'Complete' (shown as "Complete / Incomplete"). */
  readonly stage: FieldStageName;
  readonly state: StepState;
  /** Formatted time the stage was first reached (the earliest event of that stage), when known. */
  readonly at: string | null;
  /** The last step before the booking ended: its outcome is still open. */
  readonly open: boolean;
}

export interface BookingView {
  readonly id: string;
  /** How the panel names it: work order · technician (else the booking's own name). */
  readonly name: string;
  readonly bookingName: string | null;
  readonly workOrderName: string | null;
  readonly technician: string | null;
  readonly bookingStatus: string | null;
  readonly stage: FieldStageName | null;
  readonly stageLabel: string | null;
  readonly scheduled: { readonly start: string | null; readonly end: string | null };
  readonly steps: readonly StageStep[];
  readonly actualStart: string | null;
  readonly actualEnd: string | null;
  readonly actualEffort: number | null;
  readonly plannedEffort: number | null;
  readonly incompleteReason: string | null;
}

export interface EventView {
  readonly id: string;
  readonly bookingName: string;
  readonly stageLabel: string;
  readonly occurredOn: string | null;
  readonly receivedOn: string | null;
  readonly outcome: number | null;
  readonly outcomeLabel: string | null;
}

export type CountKind = 'tasks' | 'workorders' | 'bookings';

export interface SummaryView {
  readonly percentComplete: number | null;
  readonly completed: number | null;
  readonly total: number | null;
  readonly countKind: CountKind;
  readonly actualEffort: number | null;
  readonly estimatedEffort: number | null;
  readonly variance: number | null;
  readonly variancePct: number | null;
  readonly actualStart: string | null;
  readonly actualEnd: string | null;
  readonly lastUpdate: string | null;
  readonly statusLabel: string | null;
}

export interface ProgressView {
  readonly scope: Scope;
  readonly title: string | null;
  /** The record exists but has not been sent to the field (a task without a task sync row). */
  readonly notInField: boolean;
  readonly summary: SummaryView | null;
  readonly bookings: readonly BookingView[];
  readonly events: readonly EventView[];
  /** Bookings were limited to the most recently active ones (project scope). */
  readonly bookingsLimited: boolean;
}

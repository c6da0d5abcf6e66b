/** What a command run resolves with: what was queued (or cancelled), skipped and failed, and why. */
import type { ValidationIssue } from '@pfb/domain';

export interface TaskRef {
  readonly taskId: string;
  readonly taskName: string;
}

export interface TaskNotDone extends TaskRef {
  /** A sentence naming the task, the cause and (where there is one) the next step, in the user's language. */
  readonly reason: string;
}

export interface FailedTask extends TaskNotDone {
  /** The validation issues that kept the task out (empty when Dataverse refused the write). */
  readonly issues: readonly ValidationIssue[];
}

export type RunStatus =
  /** Rows were written. */
  | 'completed'
  /** The user cancelled at the dialog: nothing was written. */
  | 'cancelled'
  /** Nothing to write (all skipped or refused); nothing was written. */
  | 'nothingToDo'
  /** Dataverse refused the read or the write; nothing was written (the write is one atomic change set). */
  | 'failed';

export interface ReadyToSyncOutcome {
  readonly status: RunStatus;
  readonly queued: readonly TaskRef[];
  readonly skipped: readonly TaskNotDone[];
  readonly failed: readonly FailedTask[];
  /** Warnings about queued tasks (they went anyway). */
  readonly warnings: readonly ValidationIssue[];
}

export interface CancelFieldWorkOutcome {
  readonly status: RunStatus;
  readonly cancelled: readonly TaskRef[];
  readonly skipped: readonly TaskNotDone[];
  readonly failed: readonly TaskNotDone[];
}

/**
 * Failures of a task sync, named by step. A TaskSyncError is what syncTasks throws when a step fails for the whole
 * batch: a transient fault (429 beyond the client's Retry-After budget, 5xx, timeouts), or a refusal that cannot be
 * narrowed to one task (a read, the rows' own status write). The queue retries the message; when its retries run
 * out, the poison handler records the failure. The message has a fixed shape, because the poison handler receives the
 * last error only as text (workerContract) and must still name the step and the Dataverse error code on the row.
 */
import { DataverseRequestError } from '../dataverse/dataverseError';

export const TASK_SYNC_STEPS = {
  readTaskSyncs: 'reading the task sync rows, tasks and projects',
  readTaskDetails: 'reading resource assignments, roles and existing work orders',
  markSyncing: 'marking the task sync rows Syncing',
  upsertWorkOrders: 'writing work orders with UpsertMultiple by source key',
  cancelWorkOrders: 'cancelling work orders with UpdateMultiple',
  readRequirements: 'reading the resource requirements of new work orders',
  updateRequirements: 'updating resource requirements with UpdateMultiple',
  recordOutcome: 'recording the outcome on the task sync rows',
} as const;

export type TaskSyncStep = keyof typeof TASK_SYNC_STEPS;

const isStep = (s: string): s is TaskSyncStep => Object.prototype.hasOwnProperty.call(TASK_SYNC_STEPS, s);

export function dataverseCodeOf(e: unknown): string | undefined {
  return e instanceof DataverseRequestError ? (e.code ?? (e.status !== undefined ? `HTTP ${e.status}` : undefined)) : undefined;
}

export class TaskSyncError extends Error {
  override readonly name = 'TaskSyncError';
  readonly dataverseCode: string | undefined;

  constructor(
    readonly step: TaskSyncStep,
    cause: unknown,
  ) {
    const code = dataverseCodeOf(cause);
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`task-sync failed at step '${step}' (${TASK_SYNC_STEPS[step]}) with Dataverse error ${code ?? 'none'}: ${detail}`, { cause });
    this.dataverseCode = code;
  }
}

export interface FailureDescription {
  readonly step: TaskSyncStep | undefined;
  readonly code: string | undefined;
  readonly detail: string;
}

/** Reads a TaskSyncError's message back (the poison queue's last error); other texts keep their detail only. */
export function describeFailure(lastError: string): FailureDescription {
  const m = /^task-sync failed at step '([^']+)' \(.*?\) with Dataverse error (\S+): ([\s\S]*)$/.exec(lastError.trim());
  if (!m) return { step: undefined, code: undefined, detail: lastError.trim() };
  const step = m[1] as string;
  return { step: isStep(step) ? step : undefined, code: m[2] === 'none' ? undefined : m[2], detail: (m[3] as string).trim() };
}

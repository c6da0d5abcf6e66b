/** Task sync (DESIGN §1 steps 3–5): pfb_tasksync rows → work orders, in bulk; the queue worker that batches messages. */
export { syncTasks } from './syncTasks';
export type { SyncTasksDeps } from './syncTasks';
export { createTaskSyncWorker, poisonReason, DEFAULT_BATCH_WINDOW_MS, DEFAULT_MAX_BATCH } from './createTaskSyncWorker';
export type { TaskSyncWorker, TaskSyncWorkerDeps } from './createTaskSyncWorker';
export type { TaskSyncOutcome, WorkOrderCounts } from './outcome';
export { TaskSyncError, TASK_SYNC_STEPS, describeFailure } from './taskSyncError';
export type { TaskSyncStep, FailureDescription } from './taskSyncError';
export { isStarted } from './toDomain';

/**
 * Queue trigger on `task-sync`: one TaskSyncMessage per invocation, handed to the task-sync worker (which
 * micro-batches them into bulk Dataverse writes). Validation, retries and the last attempt's move to the poison queue
 * are in app/queueRuns.ts.
 */
import { app } from '@azure/functions';
import { QUEUES } from '../services/queueMessages';
import { STORAGE_CONNECTION, type QueueFunctionDefinition } from '../app/functionDefinition';
import { insideFunctionsHost, queueHandlerOf } from '../app/functionsHost';
import { runQueueMessage } from '../app/queueRuns';

export const taskSyncWorkerFunction: QueueFunctionDefinition = {
  kind: 'queue',
  name: 'taskSyncWorker',
  queueName: QUEUES.taskSync,
  handle: (bridge, entry, context) => runQueueMessage(bridge, bridge.taskSync, entry, context),
};

export const taskSyncWorker = queueHandlerOf(taskSyncWorkerFunction);

if (insideFunctionsHost()) {
  app.storageQueue(taskSyncWorkerFunction.name, { queueName: taskSyncWorkerFunction.queueName, connection: STORAGE_CONNECTION, handler: taskSyncWorker });
}

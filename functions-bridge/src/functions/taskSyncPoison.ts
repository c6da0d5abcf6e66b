/**
 * Queue trigger on `task-sync-poison`: a task-sync message that spent its retries. The poison handler sets the row
 * Failed with the step, Dataverse's error code and what to do next; an exception with the fixed dimensions
 * (failure TaskSyncPoisoned) feeds the alert rule; the message is parked in `task-sync-parked` for a re-drive.
 */
import { app } from '@azure/functions';
import { poisonQueueOf, QUEUES } from '../services/queueMessages';
import { STORAGE_CONNECTION, type QueueFunctionDefinition } from '../app/functionDefinition';
import { insideFunctionsHost, queueHandlerOf } from '../app/functionsHost';
import { runPoisonMessage } from '../app/queueRuns';

export const taskSyncPoisonFunction: QueueFunctionDefinition = {
  kind: 'queue',
  name: 'taskSyncPoison',
  queueName: poisonQueueOf(QUEUES.taskSync),
  handle: (bridge, entry, context) => runPoisonMessage(bridge, bridge.taskSync, entry, context),
};

export const taskSyncPoison = queueHandlerOf(taskSyncPoisonFunction);

if (insideFunctionsHost()) {
  app.storageQueue(taskSyncPoisonFunction.name, { queueName: taskSyncPoisonFunction.queueName, connection: STORAGE_CONNECTION, handler: taskSyncPoison });
}

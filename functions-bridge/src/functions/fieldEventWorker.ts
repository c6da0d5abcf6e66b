/**
 * Queue trigger on `field-event`: one delivery's events per invocation, handed to the field-event worker (which
 * batches the events of concurrent messages into one Dataverse request and coalesces the roll-ups). Validation,
 * retries and the last attempt's move to the poison queue are in app/queueRuns.ts.
 */
import { app } from '@azure/functions';
import { QUEUES } from '../services/queueMessages';
import { STORAGE_CONNECTION, type QueueFunctionDefinition } from '../app/functionDefinition';
import { insideFunctionsHost, queueHandlerOf } from '../app/functionsHost';
import { runQueueMessage } from '../app/queueRuns';

export const fieldEventWorkerFunction: QueueFunctionDefinition = {
  kind: 'queue',
  name: 'fieldEventWorker',
  queueName: QUEUES.fieldEvent,
  handle: (bridge, entry, context) => runQueueMessage(bridge, bridge.fieldEvent, entry, context),
};

export const fieldEventWorker = queueHandlerOf(fieldEventWorkerFunction);

if (insideFunctionsHost()) {
  app.storageQueue(fieldEventWorkerFunction.name, { queueName: fieldEventWorkerFunction.queueName, connection: STORAGE_CONNECTION, handler: fieldEventWorker });
}

/**
 * Queue trigger on `booking-dispatch`: one BookingDispatchMessage per invocation, handed to the booking-dispatch
 * worker (booking → mobility ticket over mutual TLS). Validation, retries and the last attempt's move to the poison
 * queue are in app/queueRuns.ts.
 */
import { app } from '@azure/functions';
import { QUEUES } from '../services/queueMessages';
import { STORAGE_CONNECTION, type QueueFunctionDefinition } from '../app/functionDefinition';
import { insideFunctionsHost, queueHandlerOf } from '../app/functionsHost';
import { runQueueMessage } from '../app/queueRuns';

export const bookingDispatchWorkerFunction: QueueFunctionDefinition = {
  kind: 'queue',
  name: 'bookingDispatchWorker',
  queueName: QUEUES.bookingDispatch,
  handle: (bridge, entry, context) => runQueueMessage(bridge, bridge.bookingDispatch, entry, context),
};

export const bookingDispatchWorker = queueHandlerOf(bookingDispatchWorkerFunction);

if (insideFunctionsHost()) {
  app.storageQueue(bookingDispatchWorkerFunction.name, {
    queueName: bookingDispatchWorkerFunction.queueName,
    connection: STORAGE_CONNECTION,
    handler: bookingDispatchWorker,
  });
}

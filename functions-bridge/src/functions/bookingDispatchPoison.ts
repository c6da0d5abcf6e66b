/**
 * Queue trigger on `booking-dispatch-poison`: a booking that could not be sent to the mobility app within its
 * retries. The poison handler sets Dispatch Status Failed and tracks BookingDispatchPoisoned with the fixed
 * dimensions (the alert rule e-mails support); the message is parked in `booking-dispatch-parked` for a re-drive.
 */
import { app } from '@azure/functions';
import { poisonQueueOf, QUEUES } from '../services/queueMessages';
import { STORAGE_CONNECTION, type QueueFunctionDefinition } from '../app/functionDefinition';
import { insideFunctionsHost, queueHandlerOf } from '../app/functionsHost';
import { runPoisonMessage } from '../app/queueRuns';

export const bookingDispatchPoisonFunction: QueueFunctionDefinition = {
  kind: 'queue',
  name: 'bookingDispatchPoison',
  queueName: poisonQueueOf(QUEUES.bookingDispatch),
  handle: (bridge, entry, context) => runPoisonMessage(bridge, bridge.bookingDispatch, entry, context),
};

export const bookingDispatchPoison = queueHandlerOf(bookingDispatchPoisonFunction);

if (insideFunctionsHost()) {
  app.storageQueue(bookingDispatchPoisonFunction.name, {
    queueName: bookingDispatchPoisonFunction.queueName,
    connection: STORAGE_CONNECTION,
    handler: bookingDispatchPoison,
  });
}

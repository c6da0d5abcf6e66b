/**
 * Queue trigger on `field-event-poison`: a delivery whose events could not be applied within the retry budget.
 * The poison handler tracks an exception with the fixed dimensions (failure FieldEventPoisoned) for the alert rule;
 * the message is parked in `field-event-parked` for a re-drive (the events are idempotent by id).
 */
import { app } from '@azure/functions';
import { poisonQueueOf, QUEUES } from '../services/queueMessages';
import { STORAGE_CONNECTION, type QueueFunctionDefinition } from '../app/functionDefinition';
import { insideFunctionsHost, queueHandlerOf } from '../app/functionsHost';
import { runPoisonMessage } from '../app/queueRuns';

export const fieldEventPoisonFunction: QueueFunctionDefinition = {
  kind: 'queue',
  name: 'fieldEventPoison',
  queueName: poisonQueueOf(QUEUES.fieldEvent),
  handle: (bridge, entry, context) => runPoisonMessage(bridge, bridge.fieldEvent, entry, context),
};

export const fieldEventPoison = queueHandlerOf(fieldEventPoisonFunction);

if (insideFunctionsHost()) {
  app.storageQueue(fieldEventPoisonFunction.name, { queueName: fieldEventPoisonFunction.queueName, connection: STORAGE_CONNECTION, handler: fieldEventPoison });
}

/** Every function of the app, registered with the Functions host on import (inside the host), and listed for the local host. */
import type { HttpFunctionDefinition, QueueFunctionDefinition, TimerFunctionDefinition } from '../app/functionDefinition';
import { bookingDispatchPoisonFunction } from './bookingDispatchPoison';
import { bookingDispatchWorkerFunction } from './bookingDispatchWorker';
import { bookingWebhookFunction } from './bookingWebhook';
import { fieldEventPoisonFunction } from './fieldEventPoison';
import { fieldEventWorkerFunction } from './fieldEventWorker';
import { healthFunction } from './health';
import { mobilityEventsFunction } from './mobilityEvents';
import { reconcileFunction } from './reconcile';
import { redrivePoisonFunction } from './redrivePoison';
import { taskSyncPoisonFunction } from './taskSyncPoison';
import { taskSyncWebhookFunction } from './taskSyncWebhook';
import { taskSyncWorkerFunction } from './taskSyncWorker';

export const HTTP_FUNCTIONS: readonly HttpFunctionDefinition[] = [taskSyncWebhookFunction, bookingWebhookFunction, mobilityEventsFunction, healthFunction, redrivePoisonFunction];
export const QUEUE_FUNCTIONS: readonly QueueFunctionDefinition[] = [
  taskSyncWorkerFunction,
  taskSyncPoisonFunction,
  bookingDispatchWorkerFunction,
  bookingDispatchPoisonFunction,
  fieldEventWorkerFunction,
  fieldEventPoisonFunction,
];

export const TIMER_FUNCTIONS: readonly TimerFunctionDefinition[] = [reconcileFunction];

export { taskSyncWebhook, taskSyncWebhookFunction } from './taskSyncWebhook';
export { reconcile, reconcileFunction } from './reconcile';
export { bookingWebhook, bookingWebhookFunction } from './bookingWebhook';
export { taskSyncWorker, taskSyncWorkerFunction } from './taskSyncWorker';
export { bookingDispatchWorker, bookingDispatchWorkerFunction } from './bookingDispatchWorker';
export { taskSyncPoison, taskSyncPoisonFunction } from './taskSyncPoison';
export { bookingDispatchPoison, bookingDispatchPoisonFunction } from './bookingDispatchPoison';
export { health, healthFunction } from './health';
export { redrivePoison, redrivePoisonFunction } from './redrivePoison';
export { mobilityEvents, mobilityEventsFunction } from './mobilityEvents';
export { fieldEventWorker, fieldEventWorkerFunction } from './fieldEventWorker';
export { fieldEventPoison, fieldEventPoisonFunction } from './fieldEventPoison';

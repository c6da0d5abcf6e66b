/**
 * POST /api/dataverse/task-sync — the webhook step on pfb_tasksync (Create, and Update filtered on pfb_syncstatus).
 * Authenticate, validate, enqueue a TaskSyncMessage when the row asks for work (Ready to Sync or Cancelled, or when
 * the payload was stripped over 256 KB and the worker must look), and answer 202 at once: Dataverse waits at most
 * 60 s and retries only 502/503/504, so the work happens on the queue. The bridge's own writes (Syncing, Synced,
 * Failed) post here too and are answered 200 with nothing queued.
 */
import { app } from '@azure/functions';
import { pfb_tasksync, SyncStatus } from '@pfb/domain';
import { QUEUES, type TaskSyncMessage } from '../services/queueMessages';
import type { HttpFunctionDefinition } from '../app/functionDefinition';
import { httpHandlerOf, insideFunctionsHost } from '../app/functionsHost';
import { accepted, nothingToDo, receiveWebhook } from '../app/webhookIntake';

const STATUS = pfb_tasksync.columns.pfb_syncstatus.logicalName;
const ACTIONABLE: ReadonlySet<unknown> = new Set([SyncStatus.ReadyToSync, SyncStatus.Cancelled]);

export const taskSyncWebhookFunction: HttpFunctionDefinition = {
  kind: 'http',
  name: 'taskSyncWebhook',
  methods: ['POST'],
  route: 'dataverse/task-sync',
  authLevel: 'anonymous',
  async handle(bridge, request, context) {
    const intake = await receiveWebhook(bridge, request, context, pfb_tasksync.logicalName);
    if (!intake.ok) return intake.response;
    const event = intake.context;
    // The post image is the row after the operation; the target has what the operation set.
    const status = event.postImage?.[STATUS] ?? event.target[STATUS];
    if (!event.sizeExceeded && !ACTIONABLE.has(status)) {
      return nothingToDo({ queued: false, reason: `pfb_syncstatus is ${status === undefined ? 'not in the payload' : String(status)}: nothing to sync or cancel` });
    }
    const message: TaskSyncMessage = {
      kind: 'taskSync',
      taskSyncId: event.primaryEntityId,
      trigger: event.messageName,
      correlationId: event.correlationId,
      receivedOn: bridge.now().toISOString(),
    };
    await bridge.queues.send(QUEUES.taskSync, message);
    bridge.telemetry.log('info', `queued task sync ${message.taskSyncId} (${event.messageName}${event.sizeExceeded ? ', payload over 256 KB: the worker re-reads the row' : ''})`, {
      function: context.functionName,
      taskSyncId: message.taskSyncId,
      correlationId: message.correlationId,
    });
    return accepted({ queued: true, queue: QUEUES.taskSync, taskSyncId: message.taskSyncId });
  },
};

export const taskSyncWebhook = httpHandlerOf(taskSyncWebhookFunction);

if (insideFunctionsHost()) {
  app.http(taskSyncWebhookFunction.name, {
    methods: taskSyncWebhookFunction.methods,
    route: taskSyncWebhookFunction.route,
    authLevel: taskSyncWebhookFunction.authLevel,
    handler: taskSyncWebhook,
  });
}

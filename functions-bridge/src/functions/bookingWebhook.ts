/**
 * POST /api/dataverse/bookings — the webhook steps on bookableresourcebooking: Create, Update (filtered on
 * starttime, endtime, resource, bookingstatus) and Delete (with a pre-image). Authenticate, validate, enqueue a
 * BookingDispatchMessage and answer 202 at once.
 *
 * - versionNumber: the row version when the step fired, from the post image's `versionnumber` (register the image
 *   with that column), else the Target's, else its RowVersion; null when none was sent (the worker then reads it).
 * - Delete: the row is gone, so what the mobility app needs to cancel the ticket comes from the pre-image:
 *   pfb_mobilityref and msdyn_workorder.
 */
import { app } from '@azure/functions';
import { bookableresourcebooking } from '@pfb/domain';
import { QUEUES, type BookingDispatchMessage } from '../services/queueMessages';
import type { HttpFunctionDefinition } from '../app/functionDefinition';
import { httpHandlerOf, insideFunctionsHost } from '../app/functionsHost';
import { accepted, nothingToDo, receiveWebhook } from '../app/webhookIntake';
import { problemResponse } from '../webhooks/problem';

const C = bookableresourcebooking.columns;
/** A system column the schema module declares for every table (looked up so a rename fails at load). */
const VERSION = (() => {
  const column = (C as Readonly<Record<string, { logicalName: string } | undefined>>)['versionnumber'];
  if (!column) throw new Error('Schema: bookableresourcebooking has no versionnumber column');
  return column.logicalName;
})();
const TRIGGERS = ['Create', 'Update', 'Delete'] as const;
type Trigger = (typeof TRIGGERS)[number];
const isTrigger = (m: string): m is Trigger => (TRIGGERS as readonly string[]).includes(m);

function versionOf(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return null;
}

function referenceId(value: unknown): string | null {
  if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') return (value as { id: string }).id;
  return typeof value === 'string' && value !== '' ? value.toLowerCase() : null;
}

export const bookingWebhookFunction: HttpFunctionDefinition = {
  kind: 'http',
  name: 'bookingWebhook',
  methods: ['POST'],
  route: 'dataverse/bookings',
  authLevel: 'anonymous',
  async handle(bridge, request, context) {
    const intake = await receiveWebhook(bridge, request, context, bookableresourcebooking.logicalName);
    if (!intake.ok) return intake.response;
    const event = intake.context;
    if (!isTrigger(event.messageName)) {
      const detail = `This endpoint takes Create, Update and Delete of bookings; a step for ${event.messageName} posted here.`;
      bridge.telemetry.log('warn', `${context.functionName}: refused with 400: ${detail}`, { function: context.functionName });
      return problemResponse({ status: 400, title: 'Unsupported message', detail });
    }
    // The field-event worker moves the booking status as technicians report stages: those are the bridge's own
    // writes, and sending the booking back to the app that reported them would only echo them.
    if (event.messageName === 'Update') {
      const self = await bridge.selfUserId();
      if (self && (event.initiatingUserId ?? event.userId) === self) {
        return nothingToDo({ queued: false, reason: 'the change was made by the bridge itself (field stage update): nothing to dispatch' });
      }
    }
    const pre = event.preImage ?? {};
    const versionNumber =
      event.messageName === 'Delete'
        ? versionOf(pre[VERSION])
        : (versionOf(event.postImage?.[VERSION]) ?? versionOf(event.target[VERSION]) ?? versionOf(event.targetRowVersion));
    const message: BookingDispatchMessage = {
      kind: 'bookingDispatch',
      bookingId: event.primaryEntityId,
      trigger: event.messageName,
      versionNumber,
      deleted:
        event.messageName === 'Delete'
          ? { mobilityRef: typeof pre[C.pfb_mobilityref.logicalName] === 'string' ? (pre[C.pfb_mobilityref.logicalName] as string) : null, workOrderId: referenceId(pre[C.msdyn_workorder.logicalName]) }
          : null,
      correlationId: event.correlationId,
      receivedOn: bridge.now().toISOString(),
    };
    await bridge.queues.send(QUEUES.bookingDispatch, message);
    bridge.telemetry.log('info', `queued booking dispatch ${message.bookingId} (${message.trigger}, version ${versionNumber ?? 'unknown'})`, {
      function: context.functionName,
      bookingId: message.bookingId,
      correlationId: message.correlationId,
    });
    return accepted({ queued: true, queue: QUEUES.bookingDispatch, bookingId: message.bookingId });
  },
};

export const bookingWebhook = httpHandlerOf(bookingWebhookFunction);

if (insideFunctionsHost()) {
  app.http(bookingWebhookFunction.name, {
    methods: bookingWebhookFunction.methods,
    route: bookingWebhookFunction.route,
    authLevel: bookingWebhookFunction.authLevel,
    handler: bookingWebhook,
  });
}

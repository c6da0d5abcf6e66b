/**
 * POST /api/mobility/events — stage events from the mobility app (contracts/mobility-api.yaml, webhook stageEvent).
 * Checks the delivery (size, Standard Webhooks signature, replay, JSON, events, known bookings), queues it on
 * `field-event` and answers 202 at once; the field-event worker applies it. Nothing is queued for any 4xx, so a
 * refused delivery writes nothing. Signing secret: MOBILITY_SIGNING_SECRET (in Azure, a Key Vault reference).
 */
import { app } from '@azure/functions';
import type { HttpFunctionDefinition } from '../app/functionDefinition';
import { httpHandlerOf, insideFunctionsHost } from '../app/functionsHost';
import { accepted } from '../app/webhookIntake';
import { MAX_DELIVERY_BYTES, packForQueue, parseDelivery, signingKeys, verifySignature, type DeliveryProblem } from '../services/fieldEvents/inboundDelivery';
import { QUEUES, type FieldEventMessage } from '../services/queueMessages';
import { PROBLEM_CONTENT_TYPE } from '../webhooks/problem';
import { readJsonBody } from '../webhooks/requestBody';

function problem(p: DeliveryProblem): { status: number; headers: Record<string, string>; body: string } {
  return {
    status: p.status,
    headers: { 'Content-Type': PROBLEM_CONTENT_TYPE },
    body: JSON.stringify({ type: 'about:blank', title: p.title, status: p.status, detail: p.detail, ...(p.errors ? { errors: p.errors } : {}) }),
  };
}

export const mobilityEventsFunction: HttpFunctionDefinition = {
  kind: 'http',
  name: 'mobilityEvents',
  methods: ['POST'],
  route: 'mobility/events',
  // The signature is the authentication: the mobility app holds no Functions key.
  authLevel: 'anonymous',
  async handle(bridge, request, context) {
    const refuse = (p: DeliveryProblem, deliveryId?: string): ReturnType<typeof problem> => {
      bridge.telemetry.log('warn', `${context.functionName}: refused with ${p.status}: ${p.title}`, { function: context.functionName, status: p.status, ...(deliveryId ? { deliveryId } : {}) });
      return problem(p);
    };
    const keys = signingKeys(bridge.settings.MOBILITY_SIGNING_SECRET);
    if (keys.length === 0) {
      return refuse({ status: 503, title: 'Not configured', detail: 'MOBILITY_SIGNING_SECRET is not set on the bridge; an administrator must set it before the app can deliver events.' });
    }
    const body = await readJsonBody(request, MAX_DELIVERY_BYTES);
    if (!body.ok) return refuse({ status: body.response.status === 415 ? 415 : 413, title: body.response.status === 415 ? 'Unsupported media type' : 'Body too large', detail: body.response.status === 415 ? 'Send the events as application/json.' : `A delivery may be at most ${MAX_DELIVERY_BYTES} bytes; split it.` });
    const signed = verifySignature(keys, body.text, request.headers);
    if (!signed.ok) return refuse(signed.problem);
    if (bridge.replays.has(signed.deliveryId)) {
      return refuse({ status: 409, title: 'Already delivered', detail: `Delivery ${signed.deliveryId} was accepted before; nothing was written again.` }, signed.deliveryId);
    }
    const delivery = parseDelivery(signed.deliveryId, body.text);
    if (!delivery.ok) return refuse(delivery.problem, signed.deliveryId);

    const unknown = await bridge.bookings.unknown(delivery.events.map((e) => e.bookingId));
    if (unknown.length > 0) {
      const errors = delivery.events.flatMap((e, i) => (unknown.includes(e.bookingId) ? [{ pointer: `/${i}/bookingId`, detail: `booking ${e.bookingId} does not exist in Dataverse` }] : []));
      return refuse(
        { status: 400, title: 'Unknown booking', detail: `${unknown.length} booking id(s) are not bookings the bridge dispatched (${unknown.slice(0, 3).join(', ')}); nothing was accepted. Send the ticketId received from the bridge.`, errors },
        signed.deliveryId,
      );
    }
    const receivedOn = bridge.now().toISOString();
    for (const events of packForQueue(delivery.events)) {
      const message: FieldEventMessage = { kind: 'fieldEvents', deliveryId: delivery.deliveryId, events, receivedOn };
      await bridge.queues.send(QUEUES.fieldEvent, message);
    }
    // Remembered only once queued: a delivery that failed to queue (5xx) may be retried with the same id.
    bridge.replays.remember(delivery.deliveryId);
    bridge.telemetry.log('info', `queued ${delivery.events.length} field event(s) of delivery ${delivery.deliveryId}`, {
      function: context.functionName,
      deliveryId: delivery.deliveryId,
      events: delivery.events.length,
    });
    return accepted({ accepted: delivery.events.length, deliveryId: delivery.deliveryId, queue: QUEUES.fieldEvent });
  },
};

export const mobilityEvents = httpHandlerOf(mobilityEventsFunction);

if (insideFunctionsHost()) {
  app.http(mobilityEventsFunction.name, {
    methods: mobilityEventsFunction.methods,
    route: mobilityEventsFunction.route,
    authLevel: mobilityEventsFunction.authLevel,
    handler: mobilityEvents,
  });
}

/**
 * The edge of `POST /api/mobility/events`, in the order that costs least for a bad request: size, signature (Standard
 * Webhooks: HMAC-SHA256 over `<webhook-id>.<webhook-timestamp>.<body>`, 5-minute tolerance, via the `standardwebhooks`
 * library), replayed delivery id, JSON, count, each event's fields (the domain's validation). Every refusal is a
 * problem (RFC 9457) naming what to fix; it never echoes the body, the signature or the secret.
 */
import { parseFieldEvent, validateFieldEvent, type FieldEvent } from '@pfb/domain';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

/** The contract's limits (contracts/mobility-api.yaml, stageEvent). */
export const MAX_DELIVERY_BYTES = 256 * 1024;
export const MAX_EVENTS_PER_DELIVERY = 100;

export interface DeliveryProblem {
  readonly status: 400 | 401 | 409 | 413 | 415 | 503;
  readonly title: string;
  readonly detail: string;
  /** Per event: where and what. */
  readonly errors?: ReadonlyArray<{ readonly pointer: string; readonly detail: string }>;
}

export type DeliveryCheck = { readonly ok: true; readonly deliveryId: string; readonly events: FieldEvent[] } | { readonly ok: false; readonly problem: DeliveryProblem };

export interface SignatureHeaders {
  get(name: string): string | null;
}

/** The signing secrets from the setting: several, space-separated, while a secret is being rotated. */
export function signingKeys(setting: string | undefined): Webhook[] {
  return (setting ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((secret) => new Webhook(secret));
}

const refuse = (problem: DeliveryProblem): DeliveryCheck => ({ ok: false, problem });

/** Verifies the signature with any of the keys; the reason in words when none matches. */
export function verifySignature(keys: readonly Webhook[], body: string, headers: SignatureHeaders): { ok: true; deliveryId: string } | { ok: false; problem: DeliveryProblem } {
  const id = headers.get('webhook-id');
  const timestamp = headers.get('webhook-timestamp');
  const signature = headers.get('webhook-signature');
  if (!id || !timestamp || !signature) {
    const absent = [!id && 'webhook-id', !timestamp && 'webhook-timestamp', !signature && 'webhook-signature'].filter(Boolean).join(', ');
    return { ok: false, problem: { status: 401, title: 'Unsigned delivery', detail: `The delivery lacks ${absent}; sign it as Standard Webhooks describes (contracts/mobility-api.yaml).` } };
  }
  if (id.length > 100) return { ok: false, problem: { status: 400, title: 'Invalid webhook-id', detail: `webhook-id is ${id.length} characters long; it may be at most 100.` } };
  let reason = 'no signature matches';
  for (const key of keys) {
    try {
      key.verify(body, { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature }, { jsonParse: false });
      return { ok: true, deliveryId: id };
    } catch (e) {
      if (!(e instanceof WebhookVerificationError)) throw e;
      reason = e.message;
      if (/timestamp/i.test(reason)) break; // the same for every key
    }
  }
  const stale = /timestamp/i.test(reason);
  return {
    ok: false,
    problem: {
      status: 401,
      title: stale ? 'Stale or future timestamp' : 'Invalid signature',
      detail: stale
        ? 'webhook-timestamp is more than 5 minutes away from the bridge clock; sign each delivery when it is sent and keep the device clock in sync.'
        : 'No webhook-signature entry matches the body with the shared secret; check the secret and sign the exact bytes sent.',
    },
  };
}

/** Parses and validates the body of a delivery whose signature was verified. */
export function parseDelivery(deliveryId: string, body: string): DeliveryCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body) as unknown;
  } catch (e) {
    return refuse({ status: 400, title: 'Malformed JSON', detail: `The body is not JSON (${(e as Error).message}); send one event object or an array of them.` });
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (list.length === 0) return refuse({ status: 400, title: 'No events', detail: 'The array is empty; send at least one event.' });
  if (list.length > MAX_EVENTS_PER_DELIVERY) {
    return refuse({ status: 413, title: 'Too many events', detail: `The delivery has ${list.length} events; send at most ${MAX_EVENTS_PER_DELIVERY} per request.` });
  }
  const errors: Array<{ pointer: string; detail: string }> = [];
  list.forEach((item, i) => {
    const pointer = Array.isArray(parsed) ? `/${i}` : '';
    for (const problem of validateFieldEvent(item)) errors.push({ pointer, detail: problem });
  });
  if (errors.length > 0) {
    const first = errors.slice(0, 5).map((e) => `${e.pointer || 'event'}: ${e.detail}`);
    return refuse({
      status: 400,
      title: 'Invalid event',
      detail: `${errors.length} problem(s); nothing was accepted. ${first.join(' ')}${errors.length > 5 ? ' …' : ''}`,
      errors,
    });
  }
  const events = list.map((raw) => {
    const result = parseFieldEvent(raw);
    if (!result.ok) throw new Error(`Event validation disagreed with itself: ${result.problems.join('; ')}`);
    return result.value;
  });
  return { ok: true, deliveryId, events };
}

/** Splits events into queue messages whose JSON stays well inside the 64 KiB of a Storage queue message (base64). */
export function packForQueue(events: readonly FieldEvent[], maxJsonBytes = 40 * 1024): FieldEvent[][] {
  const out: FieldEvent[][] = [];
  let current: FieldEvent[] = [];
  let size = 0;
  for (const e of events) {
    const bytes = Buffer.byteLength(JSON.stringify(e)) + 1;
    if (current.length > 0 && size + bytes > maxJsonBytes) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(e);
    size += bytes;
  }
  if (current.length > 0) out.push(current);
  return out;
}

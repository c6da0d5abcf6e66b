/**
 * Dataverse webhooks are not signed: a service endpoint authenticates with a static secret (dataverse-facts §4).
 * With authtype WebhookKey Dataverse appends `?code=<key>`; the Functions convention also allows the
 * `x-functions-key` header (an HttpHeader endpoint can send it). "Any request to the endpoint configured should fail
 * when the authentication options passed in the request do not match. This is the responsibility of the endpoint."
 *
 * The comparison is constant-time over SHA-256 digests (equal lengths whatever was presented), and no answer or log
 * line ever repeats the key, presented or expected.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { HttpResponseInit } from '@azure/functions';
import { problemResponse } from './problem';

/** What the check reads from a request: `HttpRequest` from @azure/functions fits. */
export interface KeyedRequest {
  readonly query: URLSearchParams;
  readonly headers: { get(name: string): string | null };
}

export type WebhookKeyCheck = { readonly ok: true } | { readonly ok: false; readonly response: HttpResponseInit };

export const FUNCTION_KEY_HEADER = 'x-functions-key';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** The key the caller presented: the header first, then `?code=` (the Functions host's order). */
export function presentedKey(request: KeyedRequest): string | undefined {
  const header = request.headers.get(FUNCTION_KEY_HEADER);
  if (header) return header;
  return request.query.get('code') ?? undefined;
}

/** Constant-time equality of two secrets of any length. An empty expected key matches nothing. */
export function keysMatch(presented: string, expected: string): boolean {
  if (expected.length === 0) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}

/** `{ ok: true }`, or a 401 to return as is. */
export function checkWebhookKey(request: KeyedRequest, expectedKey: string): WebhookKeyCheck {
  const key = presentedKey(request);
  if (key === undefined || key === '') {
    return {
      ok: false,
      response: problemResponse({
        status: 401,
        title: 'Webhook key required',
        detail: `Send the key as ?code= (service endpoint authentication "WebhookKey") or in the ${FUNCTION_KEY_HEADER} header.`,
      }),
    };
  }
  if (!keysMatch(key, expectedKey)) {
    return {
      ok: false,
      response: problemResponse({
        status: 401,
        title: 'Webhook key not valid',
        detail: 'The key does not match the bridge\'s DATAVERSE_WEBHOOK_KEY: update the service endpoint\'s Value in the Plug-in Registration Tool.',
      }),
    };
  }
  return { ok: true };
}

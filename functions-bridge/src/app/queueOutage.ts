/**
 * The queue storage cannot be reached (the Storage account or Azurite is down, restarting, or times out). An HTTP
 * function that could not queue its work answers 503 with `Retry-After`, accepting nothing, so the sender tries
 * again: Dataverse makes its one extra webhook attempt only for 502, 503 and 504 ("Use webhooks"), and a Standard
 * Webhooks sender retries any non-2xx. A 500 would have made Dataverse give up at once.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { Bridge } from './bridge';
import type { HttpFunctionDefinition } from './functionDefinition';
import { problemResponse } from '../webhooks/problem';

export class QueueUnavailableError extends Error {
  constructor(
    readonly queue: string,
    readonly reason: string,
  ) {
    super(`The queue ${queue} cannot be reached: ${reason}.`);
    this.name = 'QueueUnavailableError';
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'REQUEST_SEND_ERROR', 'UND_ERR_SOCKET']);

/** True for an outage (no answer, a 5xx, a 408 or a throttling 503) rather than a request the storage refused. */
export function isStorageOutage(e: unknown): boolean {
  const err = e as { statusCode?: number; code?: string; name?: string; cause?: { code?: string } } | null;
  if (!err || typeof err !== 'object') return false;
  if (typeof err.statusCode === 'number') return err.statusCode >= 500 || err.statusCode === 408;
  return NETWORK_CODES.has(err.code ?? '') || NETWORK_CODES.has(err.cause?.code ?? '') || err.name === 'AbortError' || err.name === 'TimeoutError';
}

export const QUEUE_RETRY_AFTER_SECONDS = 10;

/** The 503 an HTTP function answers when it could not queue its work. */
export function queueUnavailableResponse(e: QueueUnavailableError, functionName: string): HttpResponseInit {
  return problemResponse(
    {
      status: 503,
      title: 'Queue storage unavailable',
      detail: `${functionName} could not queue the work: ${e.message} Nothing was accepted; send the same request again in ${QUEUE_RETRY_AFTER_SECONDS} s. If this persists, check the Function App's storage account (AzureWebJobsStorage).`,
    },
    { 'Retry-After': String(QUEUE_RETRY_AFTER_SECONDS) },
  );
}

/**
 * Runs an HTTP function's handler the same way in both hosts: a QueueUnavailableError becomes the 503 above (logged
 * as a warning: the sender tries again); anything else propagates to the host.
 */
export async function invokeHttpFunction(
  definition: HttpFunctionDefinition,
  bridge: Bridge,
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  try {
    return await definition.handle(bridge, request, context);
  } catch (e) {
    if (!(e instanceof QueueUnavailableError)) throw e;
    bridge.telemetry.log('warn', `${definition.name}: ${e.message} Answered 503 (Retry-After ${QUEUE_RETRY_AFTER_SECONDS} s); the sender tries again.`, { function: definition.name, queue: e.queue });
    return queueUnavailableResponse(e, definition.name);
  }
}

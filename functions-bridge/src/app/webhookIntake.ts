/**
 * The common front of both Dataverse webhook functions: key (401), media type (415), size (413), a valid
 * RemoteExecutionContext (400) for the expected table (400). Each refusal is logged with its status and reason —
 * never the key, never the body.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { checkWebhookKey } from '../webhooks/webhookKey';
import { parseRemoteExecutionContext, WebhookPayloadError, type ParsedExecutionContext } from '../webhooks/remoteExecutionContext';
import { readJsonBody } from '../webhooks/requestBody';
import { problemResponse } from '../webhooks/problem';
import type { Bridge } from './bridge';

export type Intake = { readonly ok: true; readonly context: ParsedExecutionContext } | { readonly ok: false; readonly response: HttpResponseInit };

function refuse(bridge: Bridge, context: InvocationContext, response: HttpResponseInit, reason: string): Intake {
  bridge.telemetry.log('warn', `${context.functionName}: refused with ${response.status}: ${reason}`, { function: context.functionName, status: response.status ?? 0 });
  return { ok: false, response };
}

export async function receiveWebhook(bridge: Bridge, request: HttpRequest, context: InvocationContext, table: string): Promise<Intake> {
  const key = checkWebhookKey(request, bridge.settings.DATAVERSE_WEBHOOK_KEY);
  if (!key.ok) return refuse(bridge, context, key.response, 'missing or wrong webhook key');
  const body = await readJsonBody(request);
  if (!body.ok) return refuse(bridge, context, body.response, 'unsupported media type or oversize body');
  let parsed: ParsedExecutionContext;
  try {
    parsed = parseRemoteExecutionContext(body.text, request.headers);
  } catch (e) {
    if (!(e instanceof WebhookPayloadError)) throw e;
    return refuse(bridge, context, problemResponse({ status: 400, title: 'Not a RemoteExecutionContext', detail: e.problems.join('; ') }), e.problems.join('; '));
  }
  if (parsed.primaryEntityName !== table) {
    const detail = `This endpoint takes ${table} events; the step that posted is registered on ${parsed.primaryEntityName}. Point that step at its own endpoint.`;
    return refuse(bridge, context, problemResponse({ status: 400, title: 'Wrong table', detail }), detail);
  }
  return { ok: true, context: parsed };
}

export const accepted = (body: Record<string, unknown>): HttpResponseInit => ({ status: 202, jsonBody: body });
export const nothingToDo = (body: Record<string, unknown>): HttpResponseInit => ({ status: 200, jsonBody: body });

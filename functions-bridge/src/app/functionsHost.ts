/**
 * Glue for the real Azure Functions host: whether we run inside it, and the process's Bridge, composed once from the
 * app settings on first use (configuration read once and validated; a bad setting fails every invocation with the
 * sentence naming it, never with a secret).
 *
 * Outside the host, `app.*` registrations are skipped with a console warning by @azure/functions; the function files
 * register only when the host is there, so the local host and tests stay quiet.
 */
import { createRequire } from 'node:module';
import type { HttpHandler, HttpResponseInit, InvocationContext, StorageQueueHandler, TimerHandler } from '@azure/functions';
import { readSettings, SettingsError } from '../config/settings';
import { problemResponse } from '../webhooks/problem';
import type { Bridge } from './bridge';
import { composeBridge } from './composition';
import type { HttpFunctionDefinition, QueueFunctionDefinition, TimerFunctionDefinition } from './functionDefinition';
import { invokeHttpFunction } from './queueOutage';

let inside: boolean | undefined;

/** True inside the Functions worker, which provides the '@azure/functions-core' module. */
export function insideFunctionsHost(): boolean {
  if (inside === undefined) {
    try {
      createRequire(__filename)('@azure/functions-core');
      inside = true;
    } catch {
      inside = false;
    }
  }
  return inside;
}

let bridge: Promise<Bridge> | undefined;

/** The Bridge of this Function App process, from process.env (app settings). */
export function functionsBridge(): Promise<Bridge> {
  bridge ??= Promise.resolve().then(() => composeBridge(readSettings(process.env)));
  return bridge;
}

function notConfigured(error: unknown, context: InvocationContext): HttpResponseInit {
  const detail = error instanceof SettingsError ? error.problems.join('; ') : 'the bridge could not start';
  context.error(`Bridge not configured: ${detail}`);
  return problemResponse({ status: 500, title: 'Bridge not configured', detail });
}

/** The exported handler of an HTTP function: the definition's handler bound to the process's Bridge. */
export function httpHandlerOf(definition: HttpFunctionDefinition): HttpHandler {
  return async (request, context) => {
    let b: Bridge;
    try {
      b = await functionsBridge();
    } catch (e) {
      return notConfigured(e, context);
    }
    return invokeHttpFunction(definition, b, request, context);
  };
}

/** The exported handler of a queue function (a configuration error throws: the host retries, then poisons). */
export function queueHandlerOf(definition: QueueFunctionDefinition): StorageQueueHandler {
  return async (entry, context) => definition.handle(await functionsBridge(), entry, context);
}

/** The exported handler of a timer function. */
export function timerHandlerOf(definition: TimerFunctionDefinition): TimerHandler {
  return async (_timer, context) => definition.handle(await functionsBridge(), context);
}

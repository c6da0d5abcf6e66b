/**
 * A function as both hosts see it: its trigger (route and methods, or queue) and a handler that takes the Bridge
 * explicitly. The Azure entry point binds the handler to the process's Bridge (functionsHost.ts); the local host binds
 * it to its own. So the same handler code answers in Azure, in the local host and in tests.
 */
import type { HttpMethod, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { Bridge } from './bridge';

export interface HttpFunctionDefinition {
  readonly kind: 'http';
  readonly name: string;
  readonly methods: HttpMethod[];
  /** Under /api/, e.g. 'dataverse/task-sync'. */
  readonly route: string;
  /** 'anonymous' endpoints check their own key (the webhook key); 'function' ones are checked by the host. */
  readonly authLevel: 'anonymous' | 'function' | 'admin';
  readonly handle: (bridge: Bridge, request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;
}

export interface QueueFunctionDefinition {
  readonly kind: 'queue';
  readonly name: string;
  readonly queueName: string;
  /** The host passes the message base64-decoded and, when it is JSON, parsed. Throwing means "retry". */
  readonly handle: (bridge: Bridge, entry: unknown, context: InvocationContext) => Promise<void>;
}

export interface TimerFunctionDefinition {
  readonly kind: 'timer';
  readonly name: string;
  /** The NCRONTAB schedule (six fields, seconds first), from the settings. */
  readonly schedule: (env: Record<string, string | undefined>) => string;
  /** Throwing is logged by the host; the next run comes at its time anyway. */
  readonly handle: (bridge: Bridge, context: InvocationContext) => Promise<void>;
}

export type FunctionDefinition = HttpFunctionDefinition | QueueFunctionDefinition | TimerFunctionDefinition;

/** The app setting naming the queues' storage account (the host's own). */
export const STORAGE_CONNECTION = 'AzureWebJobsStorage';

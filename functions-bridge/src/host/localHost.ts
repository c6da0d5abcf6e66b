/**
 * The local host: what `npm run bridge` runs and what tests and `npm start` use, because the Functions host cannot
 * run on this machine (platform notes). It serves the same HTTP function definitions over node:http on 127.0.0.1 and
 * polls the same queues with the host's queue-trigger semantics (queuePoller.ts), settings from readSettings and
 * queue behaviour from host.json.
 *
 * stop(): no new requests or messages; the task-sync micro-batch runs at once; in-flight handlers finish; then the
 * Bridge (if the host composed it) closes its workers, connections and telemetry.
 */
import { randomUUID } from 'node:crypto';
import { format } from 'node:util';
import { InvocationContext } from '@azure/functions';
import type { Settings } from '../config/settings';
import { describeSettings } from '../config/settings';
import { ALL_QUEUES, type Bridge } from '../app/bridge';
import { composeBridge, type ComposeOptions } from '../app/composition';
import type { HttpFunctionDefinition, QueueFunctionDefinition, TimerFunctionDefinition } from '../app/functionDefinition';
import { HTTP_FUNCTIONS, QUEUE_FUNCTIONS, TIMER_FUNCTIONS } from '../functions';
import { intervalOfSchedule } from './timerSchedule';
import { queueSettingsMismatch, readHostJson, type QueueHostSettings } from './hostJson';
import { serveHttpFunctions, type RunningHttpServer } from './httpServer';
import { QueuePoller } from './queuePoller';

export interface LocalHostOptions {
  readonly settings: Settings;
  /** Default 0: any free port. */
  readonly port?: number;
  /** A ready Bridge (the caller closes it); otherwise one is composed from the settings and closed on stop. */
  readonly bridge?: Bridge;
  /** Options for the composed Bridge (replacement factories, telemetry, batch window). */
  readonly compose?: ComposeOptions;
  /** The local stand-in for Functions keys (admin endpoints); default BRIDGE_FUNCTION_KEY from the environment. */
  readonly functionKey?: string;
  /** Overrides of host.json's queue settings (e.g. a short polling interval in tests). */
  readonly queue?: Partial<Pick<QueueHostSettings, 'batchSize' | 'newBatchThreshold' | 'maxPollingIntervalMs'>>;
  readonly functions?: { readonly http?: readonly HttpFunctionDefinition[]; readonly queue?: readonly QueueFunctionDefinition[]; readonly timer?: readonly TimerFunctionDefinition[] };
  /** Timer functions: run every `everyMs` instead of their schedule, or not on their own at all (`false`; runTimer still works). */
  readonly timers?: { readonly everyMs: number } | false;
}

export interface LocalHost {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  readonly bridge: Bridge;
  /** Messages being handled right now, per queue. */
  busy(): Record<string, number>;
  /** Runs a timer function now (after a run in progress, never two at once). */
  runTimer(name: string): Promise<void>;
  stop(): Promise<void>;
}

const LOG_LEVELS: Record<string, 'info' | 'warn' | 'error'> = { warning: 'warn', error: 'error', critical: 'error' };

export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const { settings } = options;
  const hostJson = readHostJson();
  if (hostJson.messageEncoding !== 'base64') throw new Error('host.json extensions.queues.messageEncoding must be base64: the bridge enqueues base64 JSON.');
  const ownsBridge = options.bridge === undefined;
  const bridge = options.bridge ?? composeBridge(settings, options.compose);
  const { telemetry } = bridge;

  const mismatch = queueSettingsMismatch(settings, hostJson);
  if (mismatch) telemetry.log('info', mismatch);

  let server: RunningHttpServer | undefined;
  const pollers: QueuePoller[] = [];
  const timerFunctions = options.functions?.timer ?? TIMER_FUNCTIONS;
  // Checked before anything starts: a schedule the local host cannot run is a start-up error.
  const intervals = new Map(timerFunctions.map((t) => [t.name, options.timers ? options.timers.everyMs : intervalOfSchedule(t.schedule({ ...process.env, RECONCILE_SCHEDULE: settings.RECONCILE_SCHEDULE }))]));
  const timerRuns = new Map<string, Promise<void>>();
  const timerHandles: NodeJS.Timeout[] = [];
  let timersStopped = false;
  const runTimer = (name: string): Promise<void> => {
    const definition = timerFunctions.find((t) => t.name === name);
    if (!definition) return Promise.reject(new Error(`No timer function named ${name}; there are ${timerFunctions.map((t) => t.name).join(', ')}.`));
    const run = (timerRuns.get(name) ?? Promise.resolve()).then(async () => {
      if (timersStopped) return;
      const context = new InvocationContext({
        invocationId: randomUUID(),
        functionName: definition.name,
        logHandler: (level, ...args) => telemetry.log(LOG_LEVELS[level] ?? 'info', format(...args), { function: definition.name }),
      });
      try {
        await definition.handle(bridge, context);
      } catch (e) {
        telemetry.log('error', `${definition.name} failed: ${e instanceof Error ? e.message : String(e)}; it runs again at its next time`, { function: definition.name });
      }
    });
    timerRuns.set(name, run);
    return run;
  };
  try {
    // The host creates a poison queue when it first needs one; here they exist from the start (poison queues of the
    // poison queues included, for a poison handler that itself keeps failing).
    const queueFunctions = options.functions?.queue ?? QUEUE_FUNCTIONS;
    await bridge.queues.ensure([...new Set([...ALL_QUEUES, ...queueFunctions.map((f) => `${f.queueName}-poison`)])]);
    server = await serveHttpFunctions({
      functions: options.functions?.http ?? HTTP_FUNCTIONS,
      bridge,
      port: options.port ?? 0,
      functionKey: options.functionKey ?? process.env['BRIDGE_FUNCTION_KEY'],
    });
    for (const definition of queueFunctions) {
      const poller = new QueuePoller({
        queue: bridge.queues.client(definition.queueName),
        poison: bridge.queues.client(`${definition.queueName}-poison`),
        visibilityTimeoutSeconds: settings.QUEUE_RETRY_SECONDS,
        maxDequeueCount: settings.QUEUE_MAX_DEQUEUE_COUNT,
        batchSize: options.queue?.batchSize ?? hostJson.batchSize,
        newBatchThreshold: options.queue?.newBatchThreshold ?? hostJson.newBatchThreshold,
        maxPollingIntervalMs: options.queue?.maxPollingIntervalMs ?? hostJson.maxPollingIntervalMs,
        log: (level, message, properties) => telemetry.log(level, message, { function: definition.name, ...properties }),
        handle: (entry, message) => {
          const context = new InvocationContext({
            invocationId: randomUUID(),
            functionName: definition.name,
            triggerMetadata: {
              id: message.id,
              dequeueCount: message.dequeueCount,
              insertionTime: message.insertedOn.toISOString(),
              expirationTime: message.expiresOn.toISOString(),
              queueTrigger: typeof entry === 'string' ? entry : JSON.stringify(entry),
            },
            logHandler: (level, ...args) => telemetry.log(LOG_LEVELS[level] ?? 'info', format(...args), { function: definition.name }),
          });
          return definition.handle(bridge, entry, context);
        },
      });
      pollers.push(poller);
      poller.start();
    }
    if (options.timers !== false) {
      for (const [name, everyMs] of intervals) timerHandles.push(setInterval(() => void runTimer(name), everyMs).unref());
    }
  } catch (e) {
    for (const t of timerHandles) clearInterval(t);
    await Promise.all(pollers.map((p) => p.stop()));
    await server?.close();
    if (ownsBridge) await bridge.close();
    throw e;
  }

  telemetry.log('info', 'bridge local host started', { url: server.url, ...describeSettings(settings) });
  const running = server;
  let stopping: Promise<void> | undefined;
  return {
    url: running.url,
    port: running.port,
    bridge,
    busy: () => Object.fromEntries(pollers.map((p) => [p.name, p.busy])),
    runTimer,
    stop() {
      stopping ??= (async () => {
        timersStopped = true;
        for (const t of timerHandles) clearInterval(t);
        await Promise.all(timerRuns.values());
        const stopped = Promise.all(pollers.map((p) => p.stop()));
        const closed = running.close();
        // Messages waiting in the task-sync micro-batch run now instead of after its window.
        await bridge.flush();
        await stopped;
        await closed;
        if (ownsBridge) await bridge.close();
        telemetry.log('info', 'bridge local host stopped');
      })();
      return stopping;
    },
  };
}

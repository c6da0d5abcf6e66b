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
import type { HttpFunctionDefinition, QueueFunctionDefinition } from '../app/functionDefinition';
import { HTTP_FUNCTIONS, QUEUE_FUNCTIONS } from '../functions';
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
  readonly functions?: { readonly http?: readonly HttpFunctionDefinition[]; readonly queue?: readonly QueueFunctionDefinition[] };
}

export interface LocalHost {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  readonly bridge: Bridge;
  /** Messages being handled right now, per queue. */
  busy(): Record<string, number>;
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
  } catch (e) {
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
    stop() {
      stopping ??= (async () => {
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

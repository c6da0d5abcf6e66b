/**
 * The composition root's shape: everything a function needs, built once per process from the settings. The Azure
 * Functions entry point builds it lazily from the app settings (functionsHost.ts); the local host builds it from its
 * own settings, and tests inject fakes for any part. The workers come from FACTORIES, so this file compiles and
 * runs whatever worker implementation is plugged in; composition.ts plugs in the real ones.
 */
import type { z } from 'zod';
import type { Settings } from '../config/settings';
import { dataverseCredential } from '../services/dataverse/credential';
import { DataverseClient } from '../services/dataverse/dataverseClient';
import type { MobilityAdapter } from '../services/mobility/mobilityAdapter';
import { BookingDirectory } from '../services/fieldEvents/bookingDirectory';
import { ReplayGuard } from '../services/fieldEvents/replayGuard';
import {
  bookingDispatchMessageSchema,
  fieldEventMessageSchema,
  QUEUES,
  taskSyncMessageSchema,
  type BookingDispatchMessage,
  type FieldEventMessage,
  type QueueName,
  type TaskSyncMessage,
} from '../services/queueMessages';
import type { PoisonHandler, QueueWorker, WorkerContext } from '../services/workerContract';
import { telemetryFromSettings, type Telemetry } from '../telemetry';
import { queueFamily } from './poisonEnvelope';
import { QueueStore } from './queueStore';

export type WorkerLog = WorkerContext['log'];

/** What a worker factory returns. */
export interface WorkerHandle<M> {
  readonly worker: QueueWorker<M>;
  readonly onPoison: PoisonHandler<M>;
  /** Runs what is batched now and resolves when idle (the task-sync micro-batcher). */
  flush?(): Promise<void>;
  /** Refuses new work and flushes. */
  close?(): Promise<void>;
}

/** The failure's step from a last-error text (e.g. "… at step 'write-work-orders' …"); 'unknown' when absent. */
export type StepOf = (lastError: string) => string | undefined;

export interface TaskSyncFactoryDeps {
  readonly dataverse: DataverseClient;
  readonly settings: Settings;
  readonly log: WorkerLog;
}

export interface BookingDispatchFactoryDeps {
  readonly dataverse: DataverseClient;
  readonly mobility: MobilityAdapter;
  readonly log: WorkerLog;
  /** Exceptions with the worker's own dimensions (failure, bookingId, step, …); queue and recordId are added. */
  readonly trackException: (error: Error, properties: Readonly<Record<string, string>>) => void;
  readonly retrySeconds: number;
}

export interface FieldEventFactoryDeps {
  readonly dataverse: DataverseClient;
  readonly settings: Settings;
  readonly log: WorkerLog;
  readonly trackException: (error: Error, properties: Readonly<Record<string, string>>) => void;
}

/** The injected parts: the real ones are in composition.ts. */
export interface BridgeFactories {
  readonly taskSync: (deps: TaskSyncFactoryDeps) => WorkerHandle<TaskSyncMessage>;
  readonly bookingDispatch: (deps: BookingDispatchFactoryDeps) => WorkerHandle<BookingDispatchMessage>;
  readonly fieldEvent: (deps: FieldEventFactoryDeps) => WorkerHandle<FieldEventMessage>;
  readonly mobility: (settings: Settings) => MobilityAdapter;
  readonly taskSyncStepOf?: StepOf;
  readonly bookingDispatchStepOf?: StepOf;
  /** True when the booking worker tracks its own poison exception (then the poison function does not). */
  readonly bookingDispatchReportsPoison?: boolean;
}

/** One queue as the functions see it: its message schema, worker, poison handler and how to describe a failure. */
export interface QueueBinding<M> {
  readonly queue: QueueName;
  readonly schema: z.ZodType<M, z.ZodTypeDef, unknown>;
  readonly worker: QueueWorker<M>;
  readonly onPoison: PoisonHandler<M>;
  /** The `failure` dimension of a poisoned message, e.g. TaskSyncPoisoned. */
  readonly poisonedFailure: string;
  readonly reportsOwnPoison: boolean;
  readonly recordIdOf: (message: M) => string;
  readonly stepOf: StepOf;
}

export interface ProbeResult {
  readonly ok: boolean;
  /** One line, no secrets. */
  readonly detail: string;
}

export interface Bridge {
  readonly settings: Settings;
  readonly telemetry: Telemetry;
  readonly queues: QueueStore;
  /** The bridge's Dataverse client (its application user). */
  readonly dataverse: DataverseClient;
  readonly taskSync: QueueBinding<TaskSyncMessage>;
  readonly bookingDispatch: QueueBinding<BookingDispatchMessage>;
  readonly fieldEvent: QueueBinding<FieldEventMessage>;
  /** Which bookings exist (the inbound endpoint refuses events for unknown ones), cached and coalesced. */
  readonly bookings: BookingDirectory;
  /** Inbound deliveries (webhook-id) seen within the signature tolerance: a replay answers 409. */
  readonly replays: ReplayGuard;
  /** The bridge's own systemuser id (WhoAmI, cached): its own writes must not trigger its webhooks again. */
  readonly selfUserId: () => Promise<string | null>;
  readonly probes: { readonly dataverse: () => Promise<ProbeResult>; readonly mobility: () => Promise<ProbeResult> };
  readonly now: () => Date;
  /** Runs whatever is batched (task sync) and resolves when idle. */
  flush(): Promise<void>;
  /** Flushes, refuses new work, releases connections and sends buffered telemetry. */
  close(): Promise<void>;
}

/** The queues that carry work. */
export const WORK_QUEUES: readonly QueueName[] = [QUEUES.taskSync, QUEUES.bookingDispatch, QUEUES.fieldEvent];
/** Every queue the bridge uses: the work queues, their poison queues and their parking queues. */
export const ALL_QUEUES: readonly string[] = WORK_QUEUES.flatMap(queueFamily);

export interface CreateBridgeOptions {
  readonly factories: BridgeFactories;
  readonly telemetry?: Telemetry;
  readonly queues?: QueueStore;
  readonly dataverse?: DataverseClient;
  /** Answers the health probe (default: a client that tries once, 5 s timeout). */
  readonly healthDataverse?: DataverseClient;
  readonly now?: () => Date;
}

const describeError = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function createBridge(settings: Settings, options: CreateBridgeOptions): Bridge {
  const { factories } = options;
  const telemetry = options.telemetry ?? telemetryFromSettings(settings);
  const credential = dataverseCredential(settings);
  const dataverse =
    options.dataverse ??
    new DataverseClient({
      serviceRoot: settings.DATAVERSE_URL,
      credential,
      maxConcurrent: settings.DATAVERSE_MAX_CONCURRENCY,
      onThrottled: (operation, waitMs) =>
        telemetry.log(
          'warn',
          `Dataverse throttled the bridge (429) on ${operation}: every Dataverse request of this instance waits ${Math.ceil(waitMs / 1000)} s (Retry-After). If this is frequent, the application user's service protection limits are reached: see "Sizing a deployment" in the README.`,
          { retryAfterMs: waitMs },
        ),
    });
  const healthDataverse =
    options.healthDataverse ??
    new DataverseClient({ serviceRoot: settings.DATAVERSE_URL, credential, timeoutMs: 5_000, retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 } });
  const queues = options.queues ?? QueueStore.fromConnectionString(settings.AzureWebJobsStorage);
  const mobility = factories.mobility(settings);
  const log: WorkerLog = (level, message, properties) => telemetry.log(level, message, properties);

  const taskSync = factories.taskSync({ dataverse, settings, log });
  const bookingDispatch = factories.bookingDispatch({
    dataverse,
    mobility,
    log,
    retrySeconds: settings.QUEUE_RETRY_SECONDS,
    trackException: (error, p) =>
      telemetry.trackException(error, { queue: QUEUES.bookingDispatch, recordId: p['bookingId'] ?? '', step: p['step'] ?? 'unknown', ...p, failure: p['failure'] ?? 'BookingDispatchFailed' }),
  });

  const fieldEvent = factories.fieldEvent({
    dataverse,
    settings,
    log,
    trackException: (error, p) =>
      telemetry.trackException(error, { queue: QUEUES.fieldEvent, recordId: p['recordId'] ?? '', step: p['step'] ?? 'unknown', ...p, failure: p['failure'] ?? 'FieldEventFailed' }),
  });
  const bookings = new BookingDirectory(dataverse);
  let self: Promise<string | null> | undefined;
  const selfUserId = (): Promise<string | null> => {
    self ??= dataverse
      .execute('WhoAmI', (api) => api.callFunction<{ UserId?: string }>({ name: 'WhoAmI' }))
      .then((me) => me?.UserId?.toLowerCase() ?? null)
      .catch((e: unknown) => {
        self = undefined;
        telemetry.log('warn', `WhoAmI failed; the bridge cannot tell its own changes apart yet: ${telemetry.redact(describeError(e))}`);
        return null;
      });
    return self;
  };

  let closed = false;
  return {
    settings,
    telemetry,
    queues,
    dataverse,
    now: options.now ?? (() => new Date()),
    taskSync: {
      queue: QUEUES.taskSync,
      schema: taskSyncMessageSchema,
      worker: taskSync.worker,
      onPoison: taskSync.onPoison,
      poisonedFailure: 'TaskSyncPoisoned',
      reportsOwnPoison: false,
      recordIdOf: (m) => m.taskSyncId.toLowerCase(),
      stepOf: factories.taskSyncStepOf ?? (() => undefined),
    },
    bookingDispatch: {
      queue: QUEUES.bookingDispatch,
      schema: bookingDispatchMessageSchema,
      worker: bookingDispatch.worker,
      onPoison: bookingDispatch.onPoison,
      poisonedFailure: 'BookingDispatchPoisoned',
      reportsOwnPoison: factories.bookingDispatchReportsPoison ?? false,
      recordIdOf: (m) => m.bookingId.toLowerCase(),
      stepOf: factories.bookingDispatchStepOf ?? (() => undefined),
    },
    fieldEvent: {
      queue: QUEUES.fieldEvent,
      schema: fieldEventMessageSchema,
      worker: fieldEvent.worker,
      onPoison: fieldEvent.onPoison,
      poisonedFailure: 'FieldEventPoisoned',
      reportsOwnPoison: true,
      recordIdOf: (m) => m.events[0]?.bookingId.toLowerCase() ?? m.deliveryId,
      stepOf: () => 'apply-field-events',
    },
    bookings,
    replays: new ReplayGuard(),
    selfUserId,
    probes: {
      dataverse: async () => {
        try {
          const me = await healthDataverse.execute('WhoAmI', (api) => api.callFunction<{ UserId?: string }>({ name: 'WhoAmI' }));
          return { ok: true, detail: `WhoAmI answered as user ${me?.UserId ?? '(unknown)'}` };
        } catch (e) {
          return { ok: false, detail: telemetry.redact(`WhoAmI failed: ${describeError(e)}`) };
        }
      },
      mobility: async () => {
        try {
          const h = await mobility.health();
          return { ok: h.ok, detail: telemetry.redact(h.detail) };
        } catch (e) {
          return { ok: false, detail: telemetry.redact(`health check failed: ${describeError(e)}`) };
        }
      },
    },
    async flush() {
      await taskSync.flush?.();
      await bookingDispatch.flush?.();
      await fieldEvent.flush?.();
    },
    async close() {
      if (closed) return;
      closed = true;
      await taskSync.close?.();
      await bookingDispatch.close?.();
      await fieldEvent.close?.();
      await mobility.close?.();
      await telemetry.flush();
    },
  };
}

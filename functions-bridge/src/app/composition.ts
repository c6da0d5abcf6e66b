/**
 * The one place the real workers are wired in: task sync (micro-batched syncTasks), booking dispatch (mutual TLS to
 * the mobility app) and the mobility adapter (client certificate from Key Vault). Everything else takes factories, so
 * tests and the local host can replace any of them (`composeBridge(settings, { factories: { … } })`).
 */
import type { Settings } from '../config/settings';
import { createBookingDispatchWorker, dispatchStepOf } from '../services/bookingDispatch';
import { scheduleWriteBackCredential } from '../services/dataverse/credential';
import { DataverseClient } from '../services/dataverse/dataverseClient';
import { createFieldEventWorker } from '../services/fieldEvents/createFieldEventWorker';
import { createMobilityAdapter } from '../services/mobility';
import { createTaskSyncWorker, describeFailure } from '../services/taskSync';
import { createBridge, type Bridge, type BridgeFactories, type CreateBridgeOptions } from './bridge';

export interface ComposeOptions extends Omit<CreateBridgeOptions, 'factories'> {
  /** Replaces any of the real factories. */
  readonly factories?: Partial<BridgeFactories>;
  /** Task-sync micro-batch window (default the worker's 500 ms). */
  readonly batchWindowMs?: number;
  readonly maxBatch?: number;
  /** Field-event batching and roll-up interval (defaults in createFieldEventWorker). */
  readonly fieldEvent?: { readonly batchWindowMs?: number; readonly maxBatch?: number; readonly rollupIntervalMs?: number; readonly writeBackPollMs?: number };
}

export function realFactories(options: Pick<ComposeOptions, 'batchWindowMs' | 'maxBatch' | 'fieldEvent'> = {}): BridgeFactories {
  return {
    taskSync: ({ dataverse, settings, log }) => createTaskSyncWorker({ dataverse, settings, log, batchWindowMs: options.batchWindowMs, maxBatch: options.maxBatch }),
    bookingDispatch: ({ dataverse, mobility, trackException, retrySeconds }) => createBookingDispatchWorker({ dataverse, mobility, trackException, retrySeconds }),
    fieldEvent: ({ dataverse, settings, log, trackException }) =>
      createFieldEventWorker({
        dataverse,
        log,
        trackException,
        ...options.fieldEvent,
        ...(settings.SCHEDULE_WRITEBACK === 'on'
          ? {
              scheduleWriteBack: {
                client: new DataverseClient({ serviceRoot: settings.DATAVERSE_URL, credential: scheduleWriteBackCredential(settings) }),
                intervalMs: settings.SCHEDULE_WRITEBACK_INTERVAL_SECONDS * 1000,
                ...(options.fieldEvent?.writeBackPollMs ? { pollMs: options.fieldEvent.writeBackPollMs } : {}),
              },
            }
          : {}),
      }),
    mobility: (settings) => createMobilityAdapter(settings),
    taskSyncStepOf: (lastError) => describeFailure(lastError).step,
    bookingDispatchStepOf: (lastError) => dispatchStepOf(lastError),
    // The booking worker's poison handler tracks BookingDispatchPoisoned itself, with its own dimensions.
    bookingDispatchReportsPoison: true,
  };
}

export function composeBridge(settings: Settings, options: ComposeOptions = {}): Bridge {
  const { factories = {}, batchWindowMs, maxBatch, fieldEvent, ...rest } = options;
  const real = realFactories({ batchWindowMs, maxBatch, fieldEvent });
  // A replaced booking worker does not report its own poison unless it says so.
  const reportsPoison = factories.bookingDispatchReportsPoison ?? (factories.bookingDispatch ? false : real.bookingDispatchReportsPoison);
  return createBridge(settings, { ...rest, factories: { ...real, ...factories, bookingDispatchReportsPoison: reportsPoison } });
}

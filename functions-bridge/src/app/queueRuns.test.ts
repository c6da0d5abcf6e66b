/**
 * The queue functions' rules around a worker, with a Bridge whose queues record what is sent and whose telemetry
 * records what is tracked: the last attempt's poison envelope, a PermanentFailure, the poison handler's record-track-
 * park, a bare message moved by the host, a poison handler that keeps failing.
 */
import { InvocationContext } from '@azure/functions';
import { readSettings } from '../config/settings';
import type { TaskSyncMessage } from '../services/queueMessages';
import { PermanentFailure, type PoisonHandler, type QueueWorker } from '../services/workerContract';
import { createTelemetry } from '../telemetry';
import { createBridge, type Bridge } from './bridge';
import { UNKNOWN_LAST_ERROR } from './poisonEnvelope';
import type { QueueStore } from './queueStore';
import { runPoisonMessage, runQueueMessage } from './queueRuns';

const ID = '0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f';
const message: TaskSyncMessage = { kind: 'taskSync', taskSyncId: ID, trigger: 'Update', correlationId: 'corr-1', receivedOn: '2026-11-23T10:00:00.000Z' };

let sent: { queue: string; message: Record<string, unknown> }[];
let lines: Record<string, unknown>[];
let sendFails = false;

function bridgeWith(worker: QueueWorker<TaskSyncMessage>, onPoison: PoisonHandler<TaskSyncMessage>): Bridge {
  const settings = readSettings({
    DATAVERSE_URL: 'http://127.0.0.1:9/api/data/v9.2',
    DATAVERSE_AUTH: 'static',
    DATAVERSE_STATIC_TOKEN: 'token',
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    DATAVERSE_WEBHOOK_KEY: 'queue-runs-test-key-000',
    MOBILITY_BASE_URL: 'https://127.0.0.1:9/',
    KEY_VAULT_URL: 'https://127.0.0.1:9/',
    QUEUE_MAX_DEQUEUE_COUNT: '3',
  });
  const queues = {
    send: (queue: string, m: Record<string, unknown>) => (sendFails ? Promise.reject(new Error('storage down')) : Promise.resolve(void sent.push({ queue, message: m }))),
  } as unknown as QueueStore;
  const unused = (): never => {
    throw new Error('not used');
  };
  return createBridge(settings, {
    queues,
    telemetry: createTelemetry({ write: (l) => void lines.push(JSON.parse(l) as Record<string, unknown>) }),
    now: () => new Date('2026-11-23T11:00:00Z'),
    factories: {
      taskSync: () => ({ worker, onPoison }),
      bookingDispatch: () => ({ worker: unused, onPoison: unused }),
      fieldEvent: () => ({ worker: unused, onPoison: unused }),
      mobility: () => ({ upsertTicket: unused, cancelTicket: unused, health: unused }),
      taskSyncStepOf: (e) => /step '([^']+)'/.exec(e)?.[1],
    },
  });
}

const context = (dequeueCount: number): InvocationContext => new InvocationContext({ functionName: 'f', triggerMetadata: { dequeueCount }, logHandler: () => undefined });
const exceptions = (): Record<string, unknown>[] => lines.filter((l) => l['telemetry'] === 'exception');

beforeEach(() => {
  sent = [];
  lines = [];
  sendFails = false;
});

describe('a work-queue message', () => {
  const failing: QueueWorker<TaskSyncMessage> = () => Promise.reject(new Error("task-sync failed at step 'upsertWorkOrders' (…) with Dataverse error 0x1: busy"));
  const noPoison: PoisonHandler<TaskSyncMessage> = () => Promise.resolve();

  it('runs the worker with the dequeue count and the budget; a JSON text is parsed first', async () => {
    const seen: unknown[] = [];
    const b = bridgeWith(async (m, c) => void seen.push([m.taskSyncId, c.dequeueCount, c.maxDequeueCount]), noPoison);
    await runQueueMessage(b, b.taskSync, JSON.stringify(message), context(2));
    expect(seen).toEqual([[ID, 2, 3]]);
  });

  it('throws before the last attempt (the host retries), and on the last one writes the envelope with the error to the poison queue', async () => {
    const b = bridgeWith(failing, noPoison);
    await expect(runQueueMessage(b, b.taskSync, message, context(2))).rejects.toThrow(/busy/);
    expect(sent).toEqual([]);
    await runQueueMessage(b, b.taskSync, message, context(3));
    expect(sent).toEqual([
      {
        queue: 'task-sync-poison',
        message: { kind: 'poison', queue: 'task-sync', message, lastError: expect.stringMatching(/step 'upsertWorkOrders'.*busy$/), attempts: 3, failedOn: '2026-11-23T11:00:00.000Z' },
      },
    ]);
  });

  it('rethrows on the last attempt when the envelope cannot be written (the host then moves the bare message)', async () => {
    const b = bridgeWith(failing, noPoison);
    sendFails = true;
    await expect(runQueueMessage(b, b.taskSync, message, context(3))).rejects.toThrow(/busy/);
  });

  it('does not retry a PermanentFailure: tracked and completed', async () => {
    const b = bridgeWith(() => Promise.reject(new PermanentFailure('the task has no effort')), noPoison);
    await runQueueMessage(b, b.taskSync, message, context(1));
    expect(exceptions()).toEqual([expect.objectContaining({ failure: 'PermanentFailure', queue: 'task-sync', recordId: ID, step: 'unknown' })]);
  });
});

describe('a poison-queue message', () => {
  it('records, tracks TaskSyncPoisoned with the fixed dimensions and parks the envelope', async () => {
    const calls: unknown[] = [];
    const b = bridgeWith(() => Promise.resolve(), async (m, lastError, c) => void calls.push([m.taskSyncId, lastError, c.dequeueCount]));
    const envelope = { kind: 'poison', queue: 'task-sync', message, lastError: "task-sync failed at step 'markSyncing' (…): x", attempts: 3, failedOn: '2026-11-23T10:59:00.000Z' };
    await runPoisonMessage(b, b.taskSync, envelope, context(1));
    expect(calls).toEqual([[ID, envelope.lastError, 3]]);
    expect(exceptions()).toEqual([expect.objectContaining({ failure: 'TaskSyncPoisoned', queue: 'task-sync', recordId: ID, step: 'markSyncing', attempts: '3', correlationId: 'corr-1' })]);
    expect(sent).toEqual([{ queue: 'task-sync-parked', message: { ...envelope, recorded: true, recordedOn: '2026-11-23T11:00:00.000Z' } }]);
  });

  it('takes a bare message the host moved, saying the error is unknown', async () => {
    const errors: string[] = [];
    const b = bridgeWith(() => Promise.resolve(), async (_m, lastError) => void errors.push(lastError));
    await runPoisonMessage(b, b.taskSync, message, context(1));
    expect(errors).toEqual([UNKNOWN_LAST_ERROR]);
    expect(sent[0]?.message).toMatchObject({ kind: 'poison', message, attempts: 3, recorded: true });
  });

  it('retries a failing poison handler, and on its last attempt parks the message unrecorded and tracks PoisonHandlerFailed', async () => {
    const b = bridgeWith(() => Promise.resolve(), () => Promise.reject(new Error('Dataverse unreachable')));
    await expect(runPoisonMessage(b, b.taskSync, message, context(1))).rejects.toThrow('Dataverse unreachable');
    expect(sent).toEqual([]);
    await runPoisonMessage(b, b.taskSync, message, context(3));
    expect(sent[0]?.message).toMatchObject({ recorded: false, recordError: 'Dataverse unreachable' });
    expect(exceptions().map((e) => e['failure'])).toEqual(['PoisonHandlerFailed']);
  });

  it('parks a malformed poison message and tracks MalformedMessage', async () => {
    const b = bridgeWith(() => Promise.resolve(), () => Promise.resolve());
    await runPoisonMessage(b, b.taskSync, { kind: 'taskSync', taskSyncId: 'x' }, context(1));
    expect(exceptions()).toEqual([expect.objectContaining({ failure: 'MalformedMessage', queue: 'task-sync-poison', recordId: 'x' })]);
    expect(sent[0]).toMatchObject({ queue: 'task-sync-parked', message: { recorded: false } });
  });
});

/**
 * The local host's queue polling against real Azurite, checked against the Functions host's queue-trigger semantics:
 * delete on success; a failure reappears after the visibility timeout; after maxDequeueCount attempts the message
 * moves as it is to `<queue>-poison`; a message over its budget or not base64 goes there unprocessed; no more than
 * batchSize + newBatchThreshold handlers at once; a handler slower than the visibility timeout is never run twice at once; stop() waits.
 */
import { randomUUID } from 'node:crypto';
import type { QueueClient } from '@azure/storage-queue';
import { encodeQueueMessage, QueueStore } from '../app/queueStore';
import { startAzurite, type RunningAzurite } from './azurite';
import { QueuePoller, type QueuePollerOptions, type ReceivedMessage } from './queuePoller';

let azurite: RunningAzurite;
let store: QueueStore;

beforeAll(async () => {
  azurite = await startAzurite();
  store = QueueStore.fromConnectionString(azurite.connectionString);
});
afterAll(() => azurite?.stop());

const pollers: QueuePoller[] = [];
afterEach(async () => {
  await Promise.all(pollers.splice(0).map((p) => p.stop()));
});

async function queues(): Promise<{ main: QueueClient; poison: QueueClient }> {
  const name = `q-${randomUUID().slice(0, 8)}`;
  await store.ensure([name, `${name}-poison`]);
  return { main: store.client(name), poison: store.client(`${name}-poison`) };
}

function start(q: { main: QueueClient; poison: QueueClient }, handle: QueuePollerOptions['handle'], over: Partial<QueuePollerOptions> = {}): QueuePoller {
  const poller = new QueuePoller({
    queue: q.main,
    poison: q.poison,
    handle,
    visibilityTimeoutSeconds: 1,
    maxDequeueCount: 3,
    maxPollingIntervalMs: 100,
    log: () => undefined,
    ...over,
  });
  pollers.push(poller);
  poller.start();
  return poller;
}

const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

const count = async (q: QueueClient): Promise<number> => (await q.peekMessages({ numberOfMessages: 32 })).peekedMessageItems.length;

it('hands the handler the decoded JSON on the first attempt and deletes the message on success', async () => {
  const q = await queues();
  const seen: { entry: unknown; message: ReceivedMessage }[] = [];
  start(q, async (entry, message) => void seen.push({ entry, message }));
  await q.main.sendMessage(encodeQueueMessage({ kind: 'taskSync', n: 1 }));
  await q.main.sendMessage(Buffer.from('plain text', 'utf8').toString('base64'));
  await until('two messages handled', () => seen.length === 2);
  expect(seen.map((s) => s.entry)).toEqual(expect.arrayContaining([{ kind: 'taskSync', n: 1 }, 'plain text']));
  expect(seen.every((s) => s.message.dequeueCount === 1)).toBe(true);
  await until('queue empty', async () => (await count(q.main)) === 0);
  expect(await count(q.poison)).toBe(0);
});

it('retries a failure after the visibility timeout, then moves the message as it is to the poison queue', async () => {
  const q = await queues();
  const attempts: { at: number; dequeueCount: number }[] = [];
  start(q, async (_entry, message) => {
    attempts.push({ at: Date.now(), dequeueCount: message.dequeueCount });
    throw new Error('Dataverse said 503');
  });
  const text = encodeQueueMessage({ kind: 'taskSync', n: 2 });
  await q.main.sendMessage(text);
  await until('poisoned', async () => (await count(q.poison)) === 1);
  expect(attempts.map((a) => a.dequeueCount)).toEqual([1, 2, 3]);
  for (let i = 1; i < attempts.length; i += 1) expect((attempts[i] as { at: number }).at - (attempts[i - 1] as { at: number }).at).toBeGreaterThanOrEqual(900);
  const poisoned = (await q.poison.peekMessages()).peekedMessageItems[0];
  expect(poisoned?.messageText).toBe(text);
  expect(await count(q.main)).toBe(0);
});

it('moves a message whose last attempt never finished, and a message that is not base64, without running the handler', async () => {
  const q = await queues();
  await q.main.sendMessage(encodeQueueMessage({ crashed: true }));
  // Three attempts that "crashed": received and never settled.
  for (let i = 0; i < 3; i += 1) {
    await until('visible again', async () => (await q.main.receiveMessages({ visibilityTimeout: 1 })).receivedMessageItems.length === 1, 5000);
  }
  await q.main.sendMessage('this is not base64!');
  let called = 0;
  start(q, async () => void (called += 1));
  await until('both poisoned', async () => (await count(q.poison)) === 2, 10_000);
  expect(called).toBe(0);
});

it.each([
  [4, 4, 8],
  [4, 2, 6],
  [4, 0, 4],
])('batchSize %i, newBatchThreshold %i: another whole batch whenever no more than the threshold run, %i at most', async (batchSize, newBatchThreshold, most) => {
  const q = await queues();
  let active = 0;
  let peak = 0;
  let done = 0;
  start(
    q,
    async (entry) => {
      active += 1;
      peak = Math.max(peak, active);
      // Unequal durations, so the count in flight passes through the threshold.
      await new Promise((r) => setTimeout(r, 150 + ((entry as { i: number }).i % 4) * 250));
      active -= 1;
      done += 1;
    },
    { batchSize, newBatchThreshold },
  );
  await Promise.all(Array.from({ length: 16 }, (_, i) => q.main.sendMessage(encodeQueueMessage({ i }))));
  await until('all handled', () => done === 16);
  // The host's rule (QueuesOptions): at most BatchSize + NewBatchThreshold in parallel — and it gets there.
  expect(peak).toBe(most);
});

it('keeps a slow message invisible while it runs: never twice at once', async () => {
  const q = await queues();
  let runs = 0;
  let finished = false;
  start(q, async () => {
    runs += 1;
    await new Promise((r) => setTimeout(r, 2500));
    finished = true;
  });
  await q.main.sendMessage(encodeQueueMessage({ slow: true }));
  await until('finished', () => finished, 8000);
  await new Promise((r) => setTimeout(r, 1200));
  expect(runs).toBe(1);
  expect(await count(q.main)).toBe(0);
});

it('stop() stops receiving and waits for the handlers in flight', async () => {
  const q = await queues();
  let finished = false;
  let runs = 0;
  const poller = start(q, async () => {
    runs += 1;
    await new Promise((r) => setTimeout(r, 600));
    finished = true;
  });
  await q.main.sendMessage(encodeQueueMessage({ n: 1 }));
  await until('started', () => runs === 1);
  await poller.stop();
  expect(finished).toBe(true);
  await q.main.sendMessage(encodeQueueMessage({ n: 2 }));
  await new Promise((r) => setTimeout(r, 400));
  expect(runs).toBe(1);
  expect(await count(q.main)).toBe(1);
});

import type { AccessToken, TokenCredential } from '@azure/identity';
import { startDataverse, type RunningDataverse } from '@pfb/sandbox';
import { DataverseClient } from './dataverseClient';
import { DataverseRequestError } from './dataverseError';

const credential: TokenCredential = { getToken: (): Promise<AccessToken> => Promise.resolve({ token: 'local', expiresOnTimestamp: Date.now() + 3600_000 }) };

let dv: RunningDataverse;
beforeAll(async () => {
  dv = await startDataverse({ seed: 'empty', limits: null });
});
afterAll(() => dv.close());

it('creates, reads, updates, upserts by alternate key and pages, counting one request per HTTP call', async () => {
  const client = new DataverseClient({ serviceRoot: dv.url, credential });
  const id = await client.create('accounts', { name: 'Tower site 1' });
  expect(await client.retrieve('accounts', id, ['name'])).toMatchObject({ name: 'Tower site 1' });
  await client.update('accounts', id, { name: 'Tower site 1A' });
  expect((await client.retrieve('accounts', id, ['name']))?.['name']).toBe('Tower site 1A');
  await expect(client.update('accounts', '00000000-0000-0000-0000-0000000000ab', { name: 'x' })).rejects.toBeInstanceOf(DataverseRequestError);
  expect(await client.retrieve('accounts', '00000000-0000-0000-0000-0000000000ab')).toBeNull();
  await client.upsert('msdyn_workorders', "pfb_sourcekey='t1:0'", { msdyn_name: 'WO 1' });
  await client.upsert('msdyn_workorders', "pfb_sourcekey='t1:0'", { msdyn_name: 'WO 1 again' });
  const before = client.stats.requests;
  await client.bulk(
    'msdyn_workorders',
    'UpsertMultiple',
    'msdyn_workorder',
    Array.from({ length: 25 }, (_, i) => ({ '@odata.id': `msdyn_workorders(pfb_sourcekey='t2:${i}')`, msdyn_name: `WO ${i}` })),
  );
  expect(client.stats.requests - before).toBe(1);
  const rows = await client.retrieveAll('msdyn_workorders', { select: ['pfb_sourcekey'], orderBy: ['pfb_sourcekey'] }, 10);
  expect(rows).toHaveLength(26);
  expect(new Set(rows.map((r) => r['pfb_sourcekey'])).size).toBe(26);
});

it('waits out Retry-After on 429 before the next request, then succeeds', async () => {
  const limited = await startDataverse({ seed: 'empty', limits: { requests: 2, executionMs: 1e9, windowMs: 2000, concurrent: 52 } });
  try {
    const waits: number[] = [];
    const client = new DataverseClient({
      serviceRoot: limited.url,
      credential,
      sleep: (ms) => {
        waits.push(ms);
        return new Promise((r) => setTimeout(r, ms));
      },
    });
    const started = Date.now();
    for (let i = 0; i < 3; i += 1) await client.create('accounts', { name: `Throttled ${i}` });
    expect(client.stats.throttled).toBe(1);
    expect(waits[0]).toBeGreaterThanOrEqual(1000);
    // The third create went only after the window let it in.
    expect(Date.now() - started).toBeGreaterThanOrEqual(waits[0] as number);
    expect(limited.server.stats.throttled).toBe(1);
    expect(limited.dataverse.store.count('account', '', [])).toBe(3);
  } finally {
    await limited.close();
  }
});

it('fails at once, naming the request and Dataverse\'s message, on a permanent error', async () => {
  const client = new DataverseClient({ serviceRoot: dv.url, credential });
  const err = (await client.create('accounts', { nosuchcolumn: 1 }).catch((e: unknown) => e)) as DataverseRequestError;
  expect(err).toBeInstanceOf(DataverseRequestError);
  expect(err.status).toBe(400);
  expect(err.permanent).toBe(true);
  expect(err.attempts).toBe(1);
  expect(err.message).toMatch(/^create accounts failed with HTTP 400 \(0x80060888\): The property 'nosuchcolumn' does not exist/);
});

it('holds every request of the client until a Retry-After elapses, not only the throttled one', async () => {
  const throttled: number[] = [];
  const client = new DataverseClient({ serviceRoot: dv.url, credential, onThrottled: (_op, ms) => void throttled.push(ms) });
  dv.server.faults.throttle({ probability: 1, retryAfterSeconds: 1, durationMs: 150 });
  const started = Date.now();
  // Ten operations at once: the first 429 makes all of them wait, so nothing arrives early.
  await Promise.all(Array.from({ length: 10 }, (_, i) => client.create('accounts', { name: `Held ${i}` })));
  dv.server.faults.clear();
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  expect(dv.server.faults.violations()).toEqual([]);
  expect(client.stats.throttled).toBeGreaterThanOrEqual(1);
  expect(throttled.every((ms) => ms >= 1000)).toBe(true);
  expect(dv.dataverse.store.count('account', "t0.\"name\" LIKE 'Held %'", [])).toBe(10);
});

it('keeps at most maxConcurrent requests in flight', async () => {
  const client = new DataverseClient({ serviceRoot: dv.url, credential, maxConcurrent: 3 });
  await Promise.all(Array.from({ length: 20 }, (_, i) => client.create('accounts', { name: `Capped ${i}` })));
  expect(client.stats.peakConcurrent).toBe(3);
  expect(client.stats.requests).toBe(20);
});

it('retries a 5xx lost after the change was made without doing it twice where the key forbids it', async () => {
  const client = new DataverseClient({ serviceRoot: dv.url, credential, retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20, maxRetryAfterMs: 5000 } });
  dv.server.faults.fail({ status: 502, count: 1, phase: 'after' });
  await client.upsert('msdyn_workorders', "pfb_sourcekey='lost:0'", { msdyn_name: 'WO lost answer' });
  expect(client.stats.retries).toBe(1);
  expect(dv.dataverse.store.count('msdyn_workorder', "t0.\"pfb_sourcekey\" = 'lost:0'", [])).toBe(1);
});

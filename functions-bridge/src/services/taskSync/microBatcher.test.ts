import { MicroBatcher } from './microBatcher';

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function recorder(fail?: (keys: string[]) => boolean): { batches: string[][]; batcher: (windowMs: number, maxBatch: number) => MicroBatcher<string> } {
  const batches: string[][] = [];
  return {
    batches,
    batcher: (windowMs, maxBatch) =>
      new MicroBatcher<string>({
        windowMs,
        maxBatch,
        run: async (keys) => {
          batches.push(keys);
          await wait(5);
          if (fail?.(keys)) throw new Error(`batch of ${keys.length} failed`);
          return new Map(keys.filter((k) => k !== 'lost').map((k) => [k, `done ${k}`]));
        },
        missing: (k) => `missing ${k}`,
      }),
  };
}

describe('MicroBatcher', () => {
  it('waits for the window, then runs what arrived as one batch; each caller gets its own result', async () => {
    const { batches, batcher } = recorder();
    const b = batcher(30, 100);
    const first = b.submit('a');
    await wait(10);
    const later = [b.submit('b'), b.submit('c'), b.submit('lost')];
    expect(batches).toHaveLength(0);
    expect(await Promise.all([first, ...later])).toEqual(['done a', 'done b', 'done c', 'missing lost']);
    expect(batches).toEqual([['a', 'b', 'c', 'lost']]);
  });

  it('runs at once when maxBatch keys wait, and never runs two batches at the same time', async () => {
    const { batches, batcher } = recorder();
    const b = batcher(10_000, 3);
    const all = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'].map((k) => b.submit(k));
    await Promise.all(all);
    expect(batches).toEqual([['k1', 'k2', 'k3'], ['k4', 'k5', 'k6'], ['k7']]);
  });

  it('gives a duplicate key the same result from one batch', async () => {
    const { batches, batcher } = recorder();
    const b = batcher(5, 10);
    expect(await Promise.all([b.submit('x'), b.submit('x')])).toEqual(['done x', 'done x']);
    expect(batches).toEqual([['x']]);
  });

  it('rejects every caller of a failed batch and nobody else', async () => {
    const { batcher } = recorder((keys) => keys.includes('bad'));
    const b = batcher(5, 2);
    const results = await Promise.allSettled([b.submit('bad'), b.submit('x'), b.submit('y')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseRejectedResult).reason).toEqual(new Error('batch of 2 failed'));
  });

  it('flush runs what is waiting without the window; close refuses new keys', async () => {
    const { batches, batcher } = recorder();
    const b = batcher(60_000, 100);
    const p = b.submit('a');
    await b.flush();
    expect(await p).toBe('done a');
    expect(batches).toEqual([['a']]);
    await b.close();
    await expect(b.submit('b')).rejects.toThrow(/closed/);
  });
});

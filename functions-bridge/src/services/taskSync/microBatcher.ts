/**
 * Coalesces concurrent single-key calls into batch calls. The queue host hands a worker 16–32 messages at a time, one
 * call each; syncing them one by one would cost a dozen Dataverse requests per task, syncing them together costs a
 * dozen for all. A key waits at most `windowMs` after the first key of its batch arrived (or less when `maxBatch`
 * keys are waiting); batches run one after another, so keys arriving while one runs form the next (a key is never in
 * two batches at once). Each caller gets its own key's result; when the batch call fails, every caller of the batch
 * gets that error.
 */
export interface MicroBatcherOptions<R> {
  readonly windowMs: number;
  readonly maxBatch: number;
  /** Runs one batch; keys are distinct. */
  readonly run: (keys: string[]) => Promise<ReadonlyMap<string, R>>;
  /** The result of a key the batch call did not answer for. */
  readonly missing: (key: string) => R;
}

interface Waiter<R> {
  resolve(result: R): void;
  reject(error: unknown): void;
}

export class MicroBatcher<R> {
  private readonly pending = new Map<string, Waiter<R>[]>();
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private closed = false;
  /** Batch calls made so far. */
  batches = 0;

  constructor(private readonly options: MicroBatcherOptions<R>) {
    if (!(options.maxBatch >= 1)) throw new RangeError(`maxBatch must be at least 1, not ${options.maxBatch}`);
  }

  submit(key: string): Promise<R> {
    if (this.closed) return Promise.reject(new Error('The worker is closed; the message will be retried by the queue.'));
    return new Promise<R>((resolve, reject) => {
      const waiters = this.pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      this.schedule();
    });
  }

  /** Runs whatever is waiting now, and resolves when no batch is running or waiting. */
  async flush(): Promise<void> {
    this.clearTimer();
    while (this.pending.size > 0 || this.draining) await this.drain();
  }

  /** Refuses new keys, then flushes. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private schedule(): void {
    if (this.draining) return; // the running drain picks the key up when its batch is done
    if (this.pending.size >= this.options.maxBatch) {
      this.clearTimer();
      void this.drain();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.drain();
      }, this.options.windowMs);
    }
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private drain(): Promise<void> {
    this.draining ??= (async () => {
      try {
        while (this.pending.size > 0) await this.runOne();
      } finally {
        this.draining = undefined;
      }
    })();
    return this.draining;
  }

  private async runOne(): Promise<void> {
    const keys = [...this.pending.keys()].slice(0, this.options.maxBatch);
    const batch = keys.map((k) => [k, this.pending.get(k) as Waiter<R>[]] as const);
    for (const k of keys) this.pending.delete(k);
    this.batches += 1;
    try {
      const results = await this.options.run(keys);
      for (const [k, waiters] of batch) {
        const result = results.get(k) ?? this.options.missing(k);
        for (const w of waiters) w.resolve(result);
      }
    } catch (e) {
      for (const [, waiters] of batch) for (const w of waiters) w.reject(e);
    }
  }
}

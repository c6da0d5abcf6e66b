/**
 * What a queue worker is, for both hosts (Azure Functions and the local host): it handles one message and either
 * returns (done) or throws (the host retries after the visibility timeout, up to the dequeue budget, then moves the
 * message to the poison queue, where the poison handler records the failure on the record).
 */
export interface WorkerContext {
  /** 1 on the first attempt (the queue message's dequeueCount). */
  readonly dequeueCount: number;
  readonly maxDequeueCount: number;
  readonly log: (level: 'info' | 'warn' | 'error', message: string, properties?: Record<string, string | number | boolean>) => void;
}

export type QueueWorker<M> = (message: M, context: WorkerContext) => Promise<void>;

/** Called with the message that exhausted its retries and the last error seen. */
export type PoisonHandler<M> = (message: M, lastError: string, context: WorkerContext) => Promise<void>;

/** A failure that retrying cannot fix (bad data, validation): the worker records it and does not retry. */
export class PermanentFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentFailure';
  }
}

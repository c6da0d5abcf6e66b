/**
 * The queue settings of functions-bridge/host.json, which the Functions host applies in Azure and the local host
 * applies here: batch size, new-batch threshold, polling interval, message encoding. The retry interval and the
 * dequeue budget also live in the settings (QUEUE_RETRY_SECONDS, QUEUE_MAX_DEQUEUE_COUNT) because the code must know
 * them (the "retry in 30 s" sentence, the last-attempt poison move); `queueSettingsMismatch` says when they disagree.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Settings } from '../config/settings';

export const HOST_JSON_PATH = path.resolve(__dirname, '../../host.json');

const timeSpan = z.string().regex(/^\d{2}:\d{2}:\d{2}$/, 'must be hh:mm:ss');
const hostJsonSchema = z.object({
  extensions: z.object({
    queues: z.object({
      maxPollingInterval: timeSpan.default('00:01:00'),
      visibilityTimeout: timeSpan.default('00:00:00'),
      batchSize: z.number().int().min(1).max(32).default(16),
      newBatchThreshold: z.number().int().min(0).optional(),
      maxDequeueCount: z.number().int().min(1).default(5),
      messageEncoding: z.enum(['base64', 'none']).default('base64'),
    }),
  }),
});

export interface QueueHostSettings {
  readonly maxPollingIntervalMs: number;
  readonly visibilityTimeoutSeconds: number;
  readonly batchSize: number;
  readonly newBatchThreshold: number;
  readonly maxDequeueCount: number;
  readonly messageEncoding: 'base64' | 'none';
}

const seconds = (span: string): number => {
  const [h, m, s] = span.split(':').map(Number) as [number, number, number];
  return h * 3600 + m * 60 + s;
};

export function readHostJson(file = HOST_JSON_PATH): QueueHostSettings {
  const parsed = hostJsonSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  const q = parsed.data.extensions.queues;
  return {
    maxPollingIntervalMs: seconds(q.maxPollingInterval) * 1000,
    visibilityTimeoutSeconds: seconds(q.visibilityTimeout),
    batchSize: q.batchSize,
    newBatchThreshold: q.newBatchThreshold ?? Math.floor(q.batchSize / 2),
    maxDequeueCount: q.maxDequeueCount,
    messageEncoding: q.messageEncoding,
  };
}

/** A sentence when the settings and host.json disagree (Azure would follow host.json), else undefined. */
export function queueSettingsMismatch(settings: Pick<Settings, 'QUEUE_RETRY_SECONDS' | 'QUEUE_MAX_DEQUEUE_COUNT'>, host: QueueHostSettings): string | undefined {
  const diffs: string[] = [];
  if (settings.QUEUE_RETRY_SECONDS !== host.visibilityTimeoutSeconds) diffs.push(`QUEUE_RETRY_SECONDS=${settings.QUEUE_RETRY_SECONDS} but host.json visibilityTimeout is ${host.visibilityTimeoutSeconds} s`);
  if (settings.QUEUE_MAX_DEQUEUE_COUNT !== host.maxDequeueCount) diffs.push(`QUEUE_MAX_DEQUEUE_COUNT=${settings.QUEUE_MAX_DEQUEUE_COUNT} but host.json maxDequeueCount is ${host.maxDequeueCount}`);
  return diffs.length ? `${diffs.join('; ')} — the local host follows the settings, Azure follows host.json.` : undefined;
}

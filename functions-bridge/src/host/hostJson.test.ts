import { settingsSchema } from '../config/settings';
import { queueSettingsMismatch, readHostJson } from './hostJson';

it('host.json and the settings defaults agree on the retry interval and the dequeue budget, and messages are base64', () => {
  const host = readHostJson();
  expect(host).toEqual({ maxPollingIntervalMs: 2000, visibilityTimeoutSeconds: 30, batchSize: 32, newBatchThreshold: 32, maxDequeueCount: 10, messageEncoding: 'base64' });
  const defaults = settingsSchema.innerType().shape;
  const settings = { QUEUE_RETRY_SECONDS: defaults.QUEUE_RETRY_SECONDS.parse(undefined), QUEUE_MAX_DEQUEUE_COUNT: defaults.QUEUE_MAX_DEQUEUE_COUNT.parse(undefined) };
  expect(queueSettingsMismatch(settings, host)).toBeUndefined();
  expect(queueSettingsMismatch({ ...settings, QUEUE_RETRY_SECONDS: 1 }, host)).toMatch(/QUEUE_RETRY_SECONDS=1 but host.json visibilityTimeout is 30 s/);
});

/**
 * What the Azure Functions host indexes when it loads the app: the entry point (functions-bridge/src/index.ts) loaded
 * as the Node.js worker loads it — '@azure/functions-core' provided through Module.prototype.require — registers each
 * function with its trigger. Outside the worker the same import registers nothing and prints no warning.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function load(args: string[] = []): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(__dirname, 'fixtures/fakeFunctionsWorker.ts'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

interface Metadata {
  name: string;
  bindings: Record<string, { type: string; direction: string; route?: string; methods?: string[]; authLevel?: string; queueName?: string; connection?: string; schedule?: string; runOnStartup?: boolean }>;
}

it('registers every function with its trigger inside the worker and validates the settings at start-up; outside it, nothing (silently)', () => {
  const inside = load();
  expect(inside.status).toBe(0);
  const registered = JSON.parse(inside.stdout.trim().split('\n').pop() as string) as Metadata[];
  const triggers = Object.fromEntries(
    registered.map((m) => {
      const trigger = Object.values(m.bindings).find((b) => b.direction === 'in') as Metadata['bindings'][string];
      if (trigger.type === 'timerTrigger') return [m.name, `timer ${trigger.schedule}${trigger.runOnStartup ? ' (and at start-up)' : ''}`];
      return [m.name, trigger.type === 'httpTrigger' ? `${trigger.methods?.join(',')} /api/${trigger.route} (${trigger.authLevel})` : `queue ${trigger.queueName} on ${trigger.connection}`];
    }),
  );
  expect(triggers).toEqual({
    taskSyncWebhook: 'POST /api/dataverse/task-sync (anonymous)',
    bookingWebhook: 'POST /api/dataverse/bookings (anonymous)',
    health: 'GET /api/health (anonymous)',
    redrivePoison: 'POST /api/admin/redrive (function)',
    taskSyncWorker: 'queue task-sync on AzureWebJobsStorage',
    taskSyncPoison: 'queue task-sync-poison on AzureWebJobsStorage',
    bookingDispatchWorker: 'queue booking-dispatch on AzureWebJobsStorage',
    bookingDispatchPoison: 'queue booking-dispatch-poison on AzureWebJobsStorage',
    mobilityEvents: 'POST /api/mobility/events (anonymous)',
    fieldEventWorker: 'queue field-event on AzureWebJobsStorage',
    fieldEventPoison: 'queue field-event-poison on AzureWebJobsStorage',
    reconcile: 'timer 0 */5 * * * *',
  });
  // Inside the host the settings are validated at start-up: without them, one line naming them.
  expect(inside.stderr).toMatch(/Bridge not configured: DATAVERSE_URL Required; .*DATAVERSE_WEBHOOK_KEY Required/);
  // HTTP functions answer through the http output binding.
  for (const m of registered.filter((r) => Object.values(r.bindings).some((b) => b.type === 'httpTrigger'))) expect(m.bindings['$return']).toMatchObject({ type: 'http', direction: 'out' });

  const outside = load(['--no-worker']);
  expect(outside.status).toBe(0);
  expect(outside.stdout.trim()).toBe('[]');
  expect(outside.stdout + outside.stderr).not.toMatch(/WARNING|Bridge not configured/);
});

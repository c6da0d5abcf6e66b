/**
 * Timer `reconcile` (RECONCILE_SCHEDULE, every 5 minutes by default): queues again the task sync rows and bookings
 * whose webhook never reached the bridge or whose message was lost (services/reconcile/requeueStranded.ts). Two paged
 * queries a run.
 * On Flex Consumption a timer trigger runs on one instance at a time (the host holds a blob lease for it), and the
 * messages it queues are idempotent anyway.
 */
import { randomUUID } from 'node:crypto';
import { app } from '@azure/functions';
import { DEFAULT_RECONCILE_SCHEDULE } from '../config/settings';
import type { TimerFunctionDefinition } from '../app/functionDefinition';
import { insideFunctionsHost, timerHandlerOf } from '../app/functionsHost';
import { requeueStranded } from '../services/reconcile/requeueStranded';

export const reconcileFunction: TimerFunctionDefinition = {
  kind: 'timer',
  name: 'reconcile',
  // The settings check its form when the bridge starts (readSettings).
  schedule: (env) => env['RECONCILE_SCHEDULE'] ?? DEFAULT_RECONCILE_SCHEDULE,
  async handle(bridge, context) {
    const runId = randomUUID();
    try {
      const found = await requeueStranded({ dataverse: bridge.dataverse, queues: bridge.queues, settings: bridge.settings, now: bridge.now(), runId });
      const total = found.readyToSync + found.syncing + found.undispatched;
      bridge.telemetry.log(
        total > 0 ? 'warn' : 'info',
        total > 0
          ? `reconcile: queued ${total} item(s) again — ${found.readyToSync} task sync row(s) Ready to Sync whose webhook never arrived, ${found.syncing} left Syncing by a lost message, ${found.undispatched} booking(s) never dispatched${found.more ? '; more remain for the next run' : ''}. Check the webhook steps' system jobs in Dataverse if this keeps happening.`
          : 'reconcile: nothing stranded',
        { function: context.functionName, runId, readyToSync: found.readyToSync, syncing: found.syncing, undispatched: found.undispatched, more: found.more },
      );
    } catch (e) {
      bridge.telemetry.log('error', `reconcile: could not look for stranded work (${e instanceof Error ? e.message : String(e)}); the next run tries again.`, { function: context.functionName, runId });
    }
  },
};

export const reconcile = timerHandlerOf(reconcileFunction);

if (insideFunctionsHost()) {
  app.timer(reconcileFunction.name, { schedule: reconcileFunction.schedule(process.env), runOnStartup: false, handler: reconcile });
}

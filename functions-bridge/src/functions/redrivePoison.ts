/**
 * POST /api/admin/redrive?queue=task-sync[&max=100] — function-key protected (authLevel function: in Azure the host
 * checks the key; the local host checks its own). After the cause of a failure is fixed, an operator moves the failed
 * messages of one queue back onto it:
 *
 * - from `<queue>-parked` (failures already recorded: row Failed, exception tracked, e-mail sent) and from
 *   `<queue>-poison` (any not yet handled), up to `max` (default 1000);
 * - each goes back as the ORIGINAL message: the failure envelope (last error, attempt count) is dropped, and being a
 *   new queue message its dequeue count starts again — a full retry budget;
 * - the rows are not touched: task sync acts on Failed rows (it retries them), and booking dispatch sends the booking
 *   again (Dispatch Status becomes Sent on success). Both are idempotent, so a message re-driven twice does no harm.
 *
 * Answers 200 with how many moved and whether more are left (then call again).
 */
import { app } from '@azure/functions';
import { QUEUES, type QueueName } from '../services/queueMessages';
import type { HttpFunctionDefinition } from '../app/functionDefinition';
import { httpHandlerOf, insideFunctionsHost } from '../app/functionsHost';
import { problemResponse } from '../webhooks/problem';

const REDRIVABLE: readonly QueueName[] = [QUEUES.taskSync, QUEUES.bookingDispatch, QUEUES.fieldEvent];

export const redrivePoisonFunction: HttpFunctionDefinition = {
  kind: 'http',
  name: 'redrivePoison',
  methods: ['POST'],
  route: 'admin/redrive',
  authLevel: 'function',
  async handle(bridge, request, context) {
    const queue = request.query.get('queue') ?? '';
    if (!(REDRIVABLE as readonly string[]).includes(queue)) {
      return problemResponse({ status: 400, title: 'Unknown queue', detail: `Name the queue to re-drive: ?queue=${REDRIVABLE.join(' or ?queue=')}` });
    }
    const maxText = request.query.get('max');
    const max = maxText === null ? 1000 : Number(maxText);
    if (!Number.isInteger(max) || max < 1 || max > 10_000) {
      return problemResponse({ status: 400, title: 'Bad max', detail: 'max must be a whole number from 1 to 10000' });
    }
    const result = await bridge.queues.redrive(queue as QueueName, max);
    bridge.telemetry.log('info', `re-drove ${result.moved} message(s) to ${queue} (${result.fromParked} parked, ${result.fromPoison} from poison)${result.more ? '; more left' : ''}`, {
      function: context.functionName,
      queue,
      moved: result.moved,
    });
    return { status: 200, jsonBody: result };
  },
};

export const redrivePoison = httpHandlerOf(redrivePoisonFunction);

if (insideFunctionsHost()) {
  app.http(redrivePoisonFunction.name, {
    methods: redrivePoisonFunction.methods,
    route: redrivePoisonFunction.route,
    authLevel: redrivePoisonFunction.authLevel,
    handler: redrivePoison,
  });
}

/**
 * The simulator's control endpoints, for tests and scripts in another process (same server, same client
 * certificate requirement; never faulted, never recorded):
 *
 * | request                    | does |
 * |----------------------------|------|
 * | `GET /__admin/fault`       | the fault in force |
 * | `PUT /__admin/fault`       | sets a fault: `{ "mode": "fail", "status": 503, "count": 2 }`, `{ "mode": "hang" }`, `{ "mode": "slow", "delayMs": 2000 }`, `{ "mode": "drop" }`, `{ "mode": "none" }` |
 * | `GET /__admin/tickets`     | every stored ticket |
 * | `GET /__admin/requests`    | every recorded /v1/ request |
 * | `POST /__admin/reset`      | forgets tickets, keys and requests; clears the fault (204) |
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseFault, type FaultState } from './faults';
import { isJsonContentType, parseJson, readBody, sendJson, sendProblem } from './httpIo';
import { PROBLEM_TYPES, problem } from './problem';
import type { TicketStore } from './ticketStore';

export const ADMIN_PREFIX = '/__admin/';

export interface AdminContext {
  readonly faults: FaultState;
  readonly store: TicketStore;
  readonly records: () => unknown[];
  readonly reset: () => void;
}

export async function handleAdmin(req: IncomingMessage, res: ServerResponse, path: string, ctx: AdminContext): Promise<void> {
  const read = await readBody(req, 64 * 1024);
  const route = `${req.method ?? 'GET'} ${path}`;
  switch (route) {
    case 'GET /__admin/fault':
      return sendJson(res, 200, ctx.faults.current());
    case 'PUT /__admin/fault': {
      const parsed = read.ok && isJsonContentType(req.headers['content-type']) ? parseJson(read.text) : undefined;
      const fault = parsed?.ok ? parseFault(parsed.value) : { ok: false as const, problem: 'Send the fault as a JSON object (Content-Type: application/json).' };
      if (!fault.ok) return sendProblem(res, problem(PROBLEM_TYPES.validation, 400, 'Invalid fault', fault.problem, { instance: path }));
      ctx.faults.set(fault.fault);
      return sendJson(res, 200, ctx.faults.current());
    }
    case 'GET /__admin/tickets':
      return sendJson(res, 200, ctx.store.list());
    case 'GET /__admin/requests':
      return sendJson(res, 200, ctx.records());
    case 'POST /__admin/reset':
      ctx.reset();
      res.writeHead(204).end();
      return;
    default:
      return sendProblem(res, problem(PROBLEM_TYPES.notFound, 404, 'Not found', `${route} is not a simulator admin operation (fault, tickets, requests, reset).`, { instance: path }));
  }
}

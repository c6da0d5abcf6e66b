/**
 * The technician page's routes on the app shell's origin: the page plays the technician's phone, the server plays
 * its app. The Standard Webhooks signing secret stays in the server's SimulatedTechnicians; the page only says which
 * ticket, which stage, when and why.
 *
 *   GET  /simulator/tickets   the mobility app's tickets, each with the events played so far and who moves it
 *   POST /simulator/claim     { ticketId }: the ticket (a booking id, before or after dispatch) is moved by hand
 *   POST /simulator/report    { ticketId, stage, occurredAt, reason?, remainingEffortHours? }: one signed event, now
 *
 * POSTs take `application/json` only: a page of another site cannot send that without a CORS preflight, which this
 * origin never grants, so it cannot move tickets behind the user's back. Errors are RFC 9457 problems.
 */
import type http from 'node:http';
import { HandReportError, isStage, type SimulatedTechnicians, type TicketSource } from '../../mobility/technicians';

export const TECHNICIAN_ROUTES = { tickets: '/simulator/tickets', claim: '/simulator/claim', report: '/simulator/report' } as const;

export interface TechnicianRoutesOptions {
  readonly technicians: SimulatedTechnicians;
  readonly tickets: TicketSource;
  /** The automatic technicians work every ticket not moved by hand. */
  readonly automatic: boolean;
}

/** What the page gets per ticket: the ticket's own fields a technician sees, and its progress. */
export interface TicketView {
  readonly ticketId: string;
  readonly workOrder: { readonly id: string; readonly number: string; readonly summary: string | null };
  readonly project: { readonly id: string; readonly name: string };
  readonly task: { readonly id: string; readonly name: string };
  readonly technician: string;
  readonly site: { readonly name: string; readonly timeZone: string | null };
  readonly window: { readonly start: string; readonly end: string };
  readonly plannedEffortHours: number;
  readonly status: string;
  readonly byHand: boolean;
  readonly events: readonly { readonly stage: string; readonly occurredAt: string; readonly sequence: number; readonly reason: string | null }[];
}

const MAX_BODY = 16 * 1024;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function json(res: http.ServerResponse, status: number, body: unknown, contentType = 'application/json; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function problem(res: http.ServerResponse, status: number, title: string, detail: string): void {
  json(res, status, { type: 'about:blank', title, status, detail }, 'application/problem+json; charset=utf-8');
}

class RequestProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
  ) {
    super(detail);
  }
}

function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      reject(new RequestProblem(415, 'Unsupported media type', 'Send the body as application/json.'));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new RequestProblem(413, 'Body too large', `The body may be at most ${MAX_BODY} bytes.`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      try {
        const value = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
        resolve(value as Record<string, unknown>);
      } catch {
        reject(new RequestProblem(400, 'Malformed JSON', 'The body must be one JSON object.'));
      }
    });
    req.on('error', reject);
  });
}

function ticketIdOf(body: Record<string, unknown>): string {
  const id = body['ticketId'];
  if (typeof id !== 'string' || !GUID.test(id)) throw new RequestProblem(400, 'Invalid ticket id', 'ticketId must be the booking id (a GUID).');
  return id.toLowerCase();
}

function post(handler: (body: Record<string, unknown>, res: http.ServerResponse) => Promise<void> | void): http.RequestListener {
  return (req, res) => {
    if (req.method !== 'POST') return problem(res, 405, 'Method not allowed', `${req.method} is not allowed here; POST a JSON body.`);
    readJson(req)
      .then((body) => handler(body, res))
      .catch((e: unknown) => {
        if (e instanceof RequestProblem) return problem(res, e.status, e.title, e.message);
        if (e instanceof HandReportError) return problem(res, e.status, 'Not sent', e.message);
        problem(res, 500, 'Failed', (e as Error).message);
      });
  };
}

export function technicianRoutes(o: TechnicianRoutesOptions): Record<string, http.RequestListener> {
  const view = (): TicketView[] =>
    o.tickets
      .tickets()
      .map((t) => ({
        ticketId: t.ticketId,
        workOrder: { id: t.workOrder.id, number: t.workOrder.number, summary: t.workOrder.summary ?? null },
        project: t.project,
        task: t.task,
        technician: t.technician.name,
        site: { name: t.site.name, timeZone: t.site.timeZone ?? null },
        window: t.window,
        plannedEffortHours: t.plannedEffortHours,
        status: t.status,
        byHand: !o.automatic || o.technicians.isDrivenByHand(t.ticketId),
        events: o.technicians.eventsOf(t.ticketId).map((e) => ({ stage: e.stage, occurredAt: e.occurredAt, sequence: e.sequence, reason: e.reason ?? null })),
      }))
      .sort((a, b) => a.window.start.localeCompare(b.window.start) || a.workOrder.number.localeCompare(b.workOrder.number));

  return {
    [TECHNICIAN_ROUTES.tickets]: (req, res) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return problem(res, 405, 'Method not allowed', `${req.method} is not allowed here.`);
      json(res, 200, { automatic: o.automatic, tickets: view() });
    },
    [TECHNICIAN_ROUTES.claim]: post((body, res) => {
      o.technicians.driveByHand(ticketIdOf(body));
      res.writeHead(204, { 'cache-control': 'no-store' });
      res.end();
    }),
    [TECHNICIAN_ROUTES.report]: post(async (body, res) => {
      const ticketId = ticketIdOf(body);
      const stage = body['stage'];
      if (!isStage(stage)) throw new RequestProblem(400, 'Invalid stage', `stage must be one of Acknowledged, Travel, Onsite, InProgress, Complete, Incomplete.`);
      const text = (name: string): string | undefined => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
      const remaining = body['remainingEffortHours'];
      if (remaining !== undefined && remaining !== null && typeof remaining !== 'number') throw new RequestProblem(400, 'Invalid hours', 'remainingEffortHours must be a number.');
      const report = await o.technicians.report(ticketId, stage, {
        occurredAt: text('occurredAt'),
        reason: text('reason'),
        remainingEffortHours: typeof remaining === 'number' ? remaining : undefined,
      });
      if (!report.delivered) {
        return problem(res, 502, 'The bridge did not take the event', report.status ? `The bridge answered ${report.status}: ${report.detail ?? ''}` : (report.detail ?? 'No answer.'));
      }
      json(res, 202, { event: report.event, status: report.status });
    }),
  };
}

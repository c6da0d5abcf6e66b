/**
 * Request-body validation of the ticket API, exactly as mobility-api.yaml states it. Every problem names its field
 * (dotted path in the sentence, JSON pointer beside it). Unknown members are ignored and not stored (tolerant
 * reader), so the bridge may add fields before the app knows them.
 */
import type { FieldProblem } from './problem';
import { TICKET_STATUSES, type CancelRequest, type Ticket, type TicketAddress, type TicketStatus } from './ticketContract';

export type Validated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly FieldProblem[] };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** RFC 3339 in UTC: `2027-03-01T22:00:00Z`, fractions of a second allowed. */
const UTC_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z$/;
const MAX_TEXT = 4000;
const MAX_REASON = 2000;
const ADDRESS_FIELDS = ['line1', 'city', 'stateOrProvince', 'postalCode', 'country'] as const;

type Json = Record<string, unknown>;

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 60)}…` : value}'`;
  return JSON.stringify(value) ?? String(value);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Epoch ms of a valid UTC instant, else undefined (also for impossible dates such as 2027-02-30). */
function utcInstant(text: string): number | undefined {
  const m = UTC_INSTANT.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || back.getUTCHours() !== h || back.getUTCMinutes() !== mi || back.getUTCSeconds() !== s) {
    return undefined;
  }
  return Date.parse(text);
}

/** Walks a body, collecting problems; each reader returns the value when valid (or undefined). */
class Reader {
  readonly errors: FieldProblem[] = [];

  fail(path: string, detail: string): undefined {
    this.errors.push({ pointer: `/${path.split('.').join('/')}`, detail });
    return undefined;
  }

  object(parent: Json, key: string, path: string): Json | undefined {
    const v = parent[key];
    if (v === undefined || v === null) return this.fail(path, `${path} is required: an object.`);
    if (!isObject(v)) return this.fail(path, `${path} must be an object, not ${describe(v)}.`);
    return v;
  }

  text(parent: Json, key: string, path: string, rule: { required: boolean; nonEmpty?: boolean; nullable?: boolean; max?: number } = { required: true }): string | null | undefined {
    const v = parent[key];
    if (v === undefined) return rule.required ? this.fail(path, `${path} is required.`) : undefined;
    if (v === null) {
      if (rule.nullable) return null;
      return this.fail(path, rule.required ? `${path} is required and may not be null.` : `${path} must be text when present (omit it rather than sending null).`);
    }
    if (typeof v !== 'string') return this.fail(path, `${path} must be text, not ${describe(v)}.`);
    if (rule.nonEmpty && v.trim() === '') return this.fail(path, `${path} may not be empty.`);
    const max = rule.max ?? MAX_TEXT;
    if (v.length > max) return this.fail(path, `${path} is ${v.length} characters long; at most ${max} are allowed.`);
    return v;
  }

  guid(parent: Json, key: string, path: string): string | undefined {
    const v = this.text(parent, key, path, { required: true, nonEmpty: true, max: 36 });
    if (typeof v !== 'string') return undefined;
    if (!GUID.test(v)) return this.fail(path, `${path} ${describe(v)} is not a GUID (Dataverse record id), e.g. 6f1c2a9e-1d2b-4c3d-8e9f-0a1b2c3d4e5f.`);
    return v;
  }

  coordinate(parent: Json, key: string, path: string, limit: number): number | null | undefined {
    const v = parent[key];
    if (v === undefined || v === null) return v;
    if (typeof v !== 'number' || !Number.isFinite(v)) return this.fail(path, `${path} must be a number of degrees or null, not ${describe(v)}.`);
    if (Math.abs(v) > limit) return this.fail(path, `${path} ${v} is out of range (-${limit} to ${limit} degrees).`);
    return v;
  }

  instant(parent: Json, key: string, path: string): { text: string; ms: number } | undefined {
    const v = this.text(parent, key, path, { required: true, nonEmpty: true, max: 40 });
    if (typeof v !== 'string') return undefined;
    const ms = utcInstant(v);
    if (ms === undefined) return this.fail(path, `${path} ${describe(v)} is not an ISO 8601 UTC date-time; send it like 2027-03-01T22:00:00Z.`);
    return { text: v, ms };
  }
}

/** `PUT /v1/tickets/{ticketId}`: the body, checked against the path's ticket id. */
export function validateTicket(body: unknown, pathTicketId: string): Validated<Ticket> {
  if (!isObject(body)) return { ok: false, errors: [{ pointer: '', detail: `The body must be a JSON object (a ticket), not ${describe(body)}.` }] };
  const r = new Reader();

  const ticketId = r.guid(body, 'ticketId', 'ticketId');
  if (ticketId !== undefined && ticketId.toLowerCase() !== pathTicketId.toLowerCase()) {
    r.fail('ticketId', `ticketId ${describe(ticketId)} differs from the ticket id in the URL ${describe(pathTicketId)}.`);
  }
  const sourceKey = r.text(body, 'sourceKey', 'sourceKey', { required: true, nonEmpty: true, max: 200 });

  const wo = r.object(body, 'workOrder', 'workOrder');
  const workOrder = wo && {
    id: r.guid(wo, 'id', 'workOrder.id'),
    number: r.text(wo, 'number', 'workOrder.number', { required: true, nonEmpty: true, max: 100 }),
    summary: r.text(wo, 'summary', 'workOrder.summary', { required: false }),
    instructions: r.text(wo, 'instructions', 'workOrder.instructions', { required: false }),
  };

  const p = r.object(body, 'project', 'project');
  const project = p && { id: r.guid(p, 'id', 'project.id'), name: r.text(p, 'name', 'project.name') };
  const t = r.object(body, 'task', 'task');
  const task = t && { id: r.guid(t, 'id', 'task.id'), name: r.text(t, 'name', 'task.name') };

  const tech = r.object(body, 'technician', 'technician');
  const technician = tech && {
    resourceId: r.guid(tech, 'resourceId', 'technician.resourceId'),
    name: r.text(tech, 'name', 'technician.name'),
    email: r.text(tech, 'email', 'technician.email', { required: false, nullable: true, max: 320 }),
    mobilityUserId: r.text(tech, 'mobilityUserId', 'technician.mobilityUserId', { required: false, nullable: true, max: 200 }),
  };

  const s = r.object(body, 'site', 'site');
  let site: Json | undefined;
  if (s) {
    const a = r.object(s, 'address', 'site.address');
    const address: Record<string, string> = {};
    if (a) {
      for (const field of ADDRESS_FIELDS) {
        const v = r.text(a, field, `site.address.${field}`, { required: false, max: 400 });
        if (typeof v === 'string') address[field] = v;
      }
    }
    const timeZone = r.text(s, 'timeZone', 'site.timeZone', { required: false, nullable: true, max: 100 });
    if (typeof timeZone === 'string' && !isTimeZone(timeZone)) r.fail('site.timeZone', `site.timeZone ${describe(timeZone)} is not an IANA time zone, e.g. Australia/Sydney.`);
    site = {
      accountId: r.guid(s, 'accountId', 'site.accountId'),
      name: r.text(s, 'name', 'site.name'),
      address: address as TicketAddress,
      latitude: r.coordinate(s, 'latitude', 'site.latitude', 90),
      longitude: r.coordinate(s, 'longitude', 'site.longitude', 180),
      timeZone,
    };
  }

  const w = r.object(body, 'window', 'window');
  let window: { start: string; end: string } | undefined;
  if (w) {
    const start = r.instant(w, 'start', 'window.start');
    const end = r.instant(w, 'end', 'window.end');
    if (start && end && end.ms < start.ms) r.fail('window.end', `window.end ${describe(end.text)} is before window.start ${describe(start.text)}.`);
    if (start && end) window = { start: start.text, end: end.text };
  }

  const effort = body['plannedEffortHours'];
  if (effort === undefined || effort === null) r.fail('plannedEffortHours', 'plannedEffortHours is required: a number of hours (0 or more).');
  else if (typeof effort !== 'number' || !Number.isFinite(effort)) r.fail('plannedEffortHours', `plannedEffortHours must be a number of hours, not ${describe(effort)}.`);
  else if (effort < 0) r.fail('plannedEffortHours', `plannedEffortHours ${effort} is negative; send the planned hours (0 or more).`);

  const status = body['status'];
  if (status === undefined || status === null) r.fail('status', `status is required: one of ${TICKET_STATUSES.join(', ')}.`);
  else if (!(TICKET_STATUSES as readonly unknown[]).includes(status)) r.fail('status', `status ${describe(status)} is not a ticket status; send one of ${TICKET_STATUSES.join(', ')}.`);

  if (r.errors.length > 0) return { ok: false, errors: r.errors };
  // Every reader succeeded: rebuild the ticket from the known members only, optional ones only when sent.
  const defined = <T extends Json>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  const value = {
    ticketId: ticketId as string,
    sourceKey: sourceKey as string,
    workOrder: defined(workOrder as Json),
    project: project as Json,
    task: task as Json,
    technician: defined(technician as Json),
    site: defined(site as Json),
    window: window as Json,
    plannedEffortHours: effort as number,
    status: status as TicketStatus,
  } as unknown as Ticket;
  return { ok: true, value };
}

/** `POST /v1/tickets/{ticketId}/cancel`. */
export function validateCancel(body: unknown): Validated<CancelRequest> {
  if (!isObject(body)) return { ok: false, errors: [{ pointer: '', detail: `The body must be a JSON object { "reason": "…" }, not ${describe(body)}.` }] };
  const r = new Reader();
  const reason = r.text(body, 'reason', 'reason', { required: true, nonEmpty: true, max: MAX_REASON });
  if (r.errors.length > 0) return { ok: false, errors: r.errors };
  return { ok: true, value: { reason: reason as string } };
}

/**
 * The technician page's routes on a real origin server, with the technicians' app posting to a stand-in bridge that
 * verifies Standard Webhooks signatures as the real inbound endpoint does: what the page can do, what it is refused,
 * that the secret stays on the server, and that the automatic technicians leave hand-driven tickets alone.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { startOriginServer, type RunningOrigin } from '../../origin/originServer';
import { exampleTicket } from '../../mobility/exampleTicket';
import { SimulatedTechnicians, type StageEvent } from '../../mobility/technicians';
import type { StoredTicket } from '../../mobility/ticketContract';
import { technicianRoutes, type TicketView } from './technicianRoutes';

const SECRET = `whsec_${Buffer.from('technician-routes-test-secret-32b').toString('base64')}`;
const ID_A = '0b1d2c3e-0000-4000-8000-00000000000a';
const ID_B = '0b1d2c3e-0000-4000-8000-00000000000b';

const stored = (ticketId: string): StoredTicket => ({
  ...exampleTicket({ ticketId }),
  mobilityRef: `MOB-${ticketId.slice(-4)}`,
  version: 1,
  createdAt: '2027-02-20T00:00:00Z',
  updatedAt: '2027-02-20T00:00:00Z',
  cancellationReason: null,
});

interface Bridge {
  readonly url: string;
  readonly received: StageEvent[];
  /** Answer the next deliveries with this status (after verifying them). */
  answer: number;
  close(): Promise<void>;
}

async function startBridge(): Promise<Bridge> {
  const verifier = new Webhook(SECRET);
  const received: StageEvent[] = [];
  const state = { answer: 202 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        verifier.verify(body, req.headers as Record<string, string>);
      } catch {
        res.writeHead(401).end();
        return;
      }
      if (state.answer === 202) received.push(...(JSON.parse(body) as StageEvent[]));
      res.writeHead(state.answer, { 'content-type': 'application/problem+json' });
      res.end(state.answer === 202 ? '' : JSON.stringify({ title: 'Invalid event', detail: 'bookingId is not a booking the bridge dispatched.' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/mobility/events`,
    received,
    get answer() {
      return state.answer;
    },
    set answer(v: number) {
      state.answer = v;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

let bridge: Bridge;
let origin: RunningOrigin;
let tickets: StoredTicket[];
let technicians: SimulatedTechnicians;

async function start(automatic: boolean, minutesPerSecond = 480): Promise<void> {
  tickets = [];
  technicians = new SimulatedTechnicians({ tickets: () => tickets }, { eventsUrl: bridge.url, signingSecret: SECRET, minutesPerSecond, incompleteRate: 0, pollMs: 20, flushMs: 20 });
  if (automatic) technicians.start();
  origin = await startOriginServer({ dataverseUrl: 'http://127.0.0.1:9/api/data/v9.2', staticRoots: {}, routes: technicianRoutes({ technicians, tickets: { tickets: () => tickets }, automatic }) });
}

const post = (path: string, body: unknown, contentType = 'application/json'): Promise<Response> =>
  fetch(`${origin.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body: JSON.stringify(body) });
const list = async (): Promise<{ automatic: boolean; tickets: TicketView[] }> => (await fetch(`${origin.url}/simulator/tickets`)).json() as Promise<{ automatic: boolean; tickets: TicketView[] }>;

beforeAll(async () => {
  bridge = await startBridge();
});
afterAll(() => bridge.close());
afterEach(async () => {
  await technicians.stop();
  await origin.close();
  bridge.received.splice(0);
  bridge.answer = 202;
});

describe('moving a ticket by hand', () => {
  it('signs and delivers one event per stage, in sequence, with the times and reason the page sends', async () => {
    await start(false);
    tickets.push(stored(ID_A));
    const a = await post('/simulator/report', { ticketId: ID_A, stage: 'Acknowledged', occurredAt: '2027-03-02T08:00:00+11:00' });
    expect(a.status).toBe(202);
    expect(await post('/simulator/report', { ticketId: ID_A.toUpperCase(), stage: 'InProgress', occurredAt: '2027-03-02T09:10:00+11:00' }).then((r) => r.status)).toBe(202);
    const done = await post('/simulator/report', { ticketId: ID_A, stage: 'Incomplete', occurredAt: '2027-03-02T12:00:00+11:00', reason: 'Rain', remainingEffortHours: 2 });
    expect(done.status).toBe(202);
    expect(bridge.received.map((e) => [e.stage, e.sequence, e.occurredAt, e.reason ?? null, e.remainingEffortHours ?? null])).toEqual([
      ['Acknowledged', 0, '2027-03-02T08:00:00+11:00', null, null],
      ['InProgress', 1, '2027-03-02T09:10:00+11:00', null, null],
      ['Incomplete', 2, '2027-03-02T12:00:00+11:00', 'Rain', 2],
    ]);
    expect(new Set(bridge.received.map((e) => e.eventId)).size).toBe(3);
    const view = (await list()).tickets[0] as TicketView;
    expect(view).toMatchObject({ ticketId: ID_A, byHand: true, technician: 'Alex Nguyen', site: { timeZone: 'Australia/Sydney' } });
    expect(view.events.map((e) => e.stage)).toEqual(['Acknowledged', 'InProgress', 'Incomplete']);
    // Nothing the page receives carries the secret.
    expect(JSON.stringify(await list())).not.toContain(SECRET.slice(6, 20));
  });

  it('refuses what a phone would not send, and says why', async () => {
    await start(false);
    tickets.push(stored(ID_A));
    expect((await post('/simulator/report', { ticketId: ID_A, stage: 'Onsite', occurredAt: '2027-03-02T09:00:00+11:00' })).status).toBe(202);
    const back = await post('/simulator/report', { ticketId: ID_A, stage: 'Travel', occurredAt: '2027-03-02T08:30:00+11:00' });
    expect(back.status).toBe(409);
    expect(((await back.json()) as { detail: string }).detail).toContain('is at Onsite already');
    const noReason = await post('/simulator/report', { ticketId: ID_A, stage: 'Incomplete', occurredAt: '2027-03-02T10:00:00+11:00' });
    expect(noReason.status).toBe(400);
    expect(((await noReason.json()) as { detail: string }).detail).toContain('needs a reason');
    expect((await post('/simulator/report', { ticketId: ID_B, stage: 'Acknowledged' })).status).toBe(404);
    expect((await post('/simulator/report', { ticketId: ID_A, stage: 'Lunch' })).status).toBe(400);
    expect((await post('/simulator/report', { ticketId: ID_A, stage: 'Complete', occurredAt: 'half past ten' })).status).toBe(400);
    expect((await post('/simulator/report', { ticketId: ID_A, stage: 'Complete' }, 'text/plain')).status).toBe(415);
    expect((await fetch(`${origin.url}/simulator/report`)).status).toBe(405);
    expect(bridge.received).toHaveLength(1);
  });

  it('passes on what the bridge refused, and lets the stage be sent again', async () => {
    await start(false);
    tickets.push(stored(ID_A));
    bridge.answer = 400;
    const refused = await post('/simulator/report', { ticketId: ID_A, stage: 'Acknowledged', occurredAt: '2027-03-02T08:00:00+11:00' });
    expect(refused.status).toBe(502);
    expect(((await refused.json()) as { detail: string }).detail).toBe('The bridge answered 400: bookingId is not a booking the bridge dispatched.');
    bridge.answer = 202;
    expect((await post('/simulator/report', { ticketId: ID_A, stage: 'Acknowledged', occurredAt: '2027-03-02T08:00:00+11:00' })).status).toBe(202);
    expect(bridge.received.map((e) => e.sequence)).toEqual([0]);
  });
});

describe('with the automatic technicians running', () => {
  it('leaves a ticket claimed before dispatch alone, and works the others', async () => {
    await start(true, 100_000);
    expect((await post('/simulator/claim', { ticketId: ID_A })).status).toBe(204);
    tickets.push(stored(ID_A), stored(ID_B));
    await new Promise((r) => setTimeout(r, 400));
    await technicians.drain();
    expect(new Set(bridge.received.map((e) => e.bookingId))).toEqual(new Set([ID_B]));
    expect(technicians.stats.ticketsWorked).toBe(1);
    const views = (await list()).tickets;
    expect(views.find((t) => t.ticketId === ID_A)).toMatchObject({ byHand: true, events: [] });
    expect(views.find((t) => t.ticketId === ID_B)).toMatchObject({ byHand: false });
  });

  it('takes over a ticket midway: the stages not yet played are dropped, the sequence goes on', async () => {
    // 1 simulated minute per second: Acknowledged plays at once, Travel no sooner than 15 s later.
    await start(true, 1);
    tickets.push(stored(ID_A));
    for (let i = 0; i < 50 && technicians.eventsOf(ID_A).length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(technicians.eventsOf(ID_A).map((e) => e.stage)).toEqual(['Acknowledged']);
    expect((await post('/simulator/report', { ticketId: ID_A, stage: 'Onsite', occurredAt: '2027-03-02T09:00:00+11:00' })).status).toBe(202);
    await technicians.drain();
    expect(technicians.busy).toBe(0);
    expect(bridge.received.filter((e) => e.bookingId === ID_A).map((e) => [e.stage, e.sequence])).toEqual(expect.arrayContaining([['Acknowledged', 0], ['Onsite', 1]]));
    expect(bridge.received.filter((e) => e.bookingId === ID_A)).toHaveLength(2);
  });
});

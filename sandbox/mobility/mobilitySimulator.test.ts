/**
 * The simulator over real HTTPS on 127.0.0.1, driven by undici with client certificates from the test PKI, as the
 * bridge drives the real app.
 */
import { Agent, request } from 'undici';
import { createTestPki, type TestClientCertificate, type TestPki } from '../pki';
import { EXAMPLE_TICKET_ID, exampleTicket, PROBLEM_TYPES, startMobilitySimulator, type MobilitySimulator } from './index';

let pki: TestPki;
let sim: MobilitySimulator;
const agents: Agent[] = [];

function agentFor(cert: TestClientCertificate | null): Agent {
  const agent = new Agent({ connect: { ca: pki.ca.certPem, ...(cert ? { cert: cert.certPem, key: cert.keyPem } : {}) } });
  agents.push(agent);
  return agent;
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: Record<string, unknown>;
}

async function call(agent: Agent, method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}, timeoutMs = 5000): Promise<Reply> {
  const res = await request(`${sim.url}${path}`, {
    method,
    dispatcher: agent,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    // undici's own headersTimeout ticks coarsely (about a second); an AbortSignal is exact, and what the bridge uses.
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const put = (agent: Agent, body: unknown, key?: string, id = EXAMPLE_TICKET_ID): Promise<Reply> => call(agent, 'PUT', `/v1/tickets/${id}`, body, key ? { 'idempotency-key': key } : {});

let bridge: Agent;

beforeAll(() => {
  pki = createTestPki({ validDays: 1 });
});

beforeEach(async () => {
  sim = await startMobilitySimulator({ pki });
  bridge = agentFor(pki.client);
});

afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.destroy()));
  await sim.close();
});

describe('tickets', () => {
  it('creates a ticket (201), answers a repeated Idempotency-Key with the stored result, and creates no second version', async () => {
    const first = await put(bridge, exampleTicket(), 'booking-1:v1');
    expect(first.status).toBe(201);
    expect(first.json).toEqual({ ticketId: EXAMPLE_TICKET_ID, mobilityRef: 'MOB-000001', version: 1, status: 'Scheduled' });
    expect(first.headers['location']).toBe(`/v1/tickets/${EXAMPLE_TICKET_ID}`);

    const again = await put(bridge, exampleTicket(), 'booking-1:v1');
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(again.headers['idempotent-replayed']).toBe('true');
    // Same meaning, other key order: still the same request.
    const reordered = Object.fromEntries(Object.entries(exampleTicket()).reverse());
    expect((await put(bridge, reordered, 'booking-1:v1')).json).toEqual(first.json);

    expect(sim.tickets()).toHaveLength(1);
    expect(sim.ticket(EXAMPLE_TICKET_ID)).toMatchObject({ version: 1, mobilityRef: 'MOB-000001', status: 'Scheduled', cancellationReason: null });
    const recorded = sim.requests();
    expect(recorded.map((r) => [r.method, r.path, r.idempotencyKey, r.status, r.replayed])).toEqual([
      ['PUT', `/v1/tickets/${EXAMPLE_TICKET_ID}`, 'booking-1:v1', 201, false],
      ['PUT', `/v1/tickets/${EXAMPLE_TICKET_ID}`, 'booking-1:v1', 201, true],
      ['PUT', `/v1/tickets/${EXAMPLE_TICKET_ID}`, 'booking-1:v1', 201, true],
    ]);
    expect(recorded[0]?.clientSubject).toBe('O=Project Field Bridge (test), CN=field-bridge');
    expect(recorded[0]?.clientFingerprint256).toBe(pki.client.fingerprint256);
    expect(recorded[0]?.body).toEqual(exampleTicket());
  });

  it('refuses the same key with a different body (409 problem) and keeps the ticket as it was', async () => {
    await put(bridge, exampleTicket(), 'k1');
    const clash = await put(bridge, exampleTicket({ plannedEffortHours: 8 }), 'k1');
    expect(clash.status).toBe(409);
    expect(clash.headers['content-type']).toBe('application/problem+json');
    expect(clash.json).toMatchObject({ type: PROBLEM_TYPES.idempotencyKeyReused, status: 409, title: expect.any(String) });
    expect(clash.json['detail']).toContain("'k1'");
    expect(sim.ticket(EXAMPLE_TICKET_ID)?.plannedEffortHours).toBe(7);
  });

  it('updates with a new key (200, version 2); an unchanged upsert keeps the version; GET returns the ticket', async () => {
    await put(bridge, exampleTicket(), 'v1');
    const update = await put(bridge, exampleTicket({ window: { start: '2027-03-02T22:00:00Z', end: '2027-03-03T05:00:00Z' } }), 'v2');
    expect(update.status).toBe(200);
    expect(update.json).toEqual({ ticketId: EXAMPLE_TICKET_ID, mobilityRef: 'MOB-000001', version: 2, status: 'Scheduled' });
    const same = await put(bridge, exampleTicket({ window: { start: '2027-03-02T22:00:00Z', end: '2027-03-03T05:00:00Z' } }), 'v3');
    expect(same.status).toBe(200);
    expect(same.json['version']).toBe(2);

    const got = await call(bridge, 'GET', `/v1/tickets/${EXAMPLE_TICKET_ID}`);
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ ...exampleTicket({ window: { start: '2027-03-02T22:00:00Z', end: '2027-03-03T05:00:00Z' } }), version: 2, mobilityRef: 'MOB-000001' });
    const missing = await call(bridge, 'GET', '/v1/tickets/0b1d2c3e-0000-4000-8000-0000000000ff');
    expect(missing.status).toBe(404);
    expect(missing.json['type']).toBe(PROBLEM_TYPES.ticketNotFound);
  });

  it('cancels once (200, Cancelled, next version), idempotently, and answers 404 for an unknown ticket', async () => {
    await put(bridge, exampleTicket(), 'v1');
    const cancel = await call(bridge, 'POST', `/v1/tickets/${EXAMPLE_TICKET_ID}/cancel`, { reason: 'Booking cancelled in Dynamics 365' }, { 'idempotency-key': 'c1' });
    expect(cancel.status).toBe(200);
    expect(cancel.json).toEqual({ ticketId: EXAMPLE_TICKET_ID, mobilityRef: 'MOB-000001', version: 2, status: 'Cancelled' });
    const again = await call(bridge, 'POST', `/v1/tickets/${EXAMPLE_TICKET_ID}/cancel`, { reason: 'Booking deleted' });
    expect(again.status).toBe(200);
    expect(again.json['version']).toBe(2);
    expect(sim.ticket(EXAMPLE_TICKET_ID)).toMatchObject({ status: 'Cancelled', cancellationReason: 'Booking cancelled in Dynamics 365', version: 2 });

    const unknown = await call(bridge, 'POST', '/v1/tickets/0b1d2c3e-0000-4000-8000-0000000000ff/cancel', { reason: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.json['type']).toBe(PROBLEM_TYPES.ticketNotFound);

    // Re-instating by upsert clears the cancellation.
    const back = await put(bridge, exampleTicket(), 'v2');
    expect(back.json).toMatchObject({ version: 3, status: 'Scheduled' });
    expect(sim.ticket(EXAMPLE_TICKET_ID)?.cancellationReason).toBeNull();
  });

  it('answers GET /v1/health', async () => {
    expect(await call(bridge, 'GET', '/v1/health')).toMatchObject({ status: 200, json: { status: 'ok' } });
  });
});

describe('validation (RFC 9457 problems naming the field)', () => {
  it('refuses an unknown status, missing fields and an end before the start, and stores nothing', async () => {
    const bad = exampleTicket() as unknown as Record<string, unknown>;
    delete bad['sourceKey'];
    bad['status'] = 'Booked';
    bad['window'] = { start: '2027-03-02T05:00:00Z', end: '2027-03-01T22:00:00Z' };
    const reply = await put(bridge, bad, 'k');
    expect(reply.status).toBe(400);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.json).toMatchObject({ type: PROBLEM_TYPES.validation, title: 'The request body is not valid', status: 400, instance: `/v1/tickets/${EXAMPLE_TICKET_ID}` });
    expect(reply.json['detail']).toEqual(expect.stringContaining('sourceKey is required'));
    expect(reply.json['detail']).toEqual(expect.stringContaining("status 'Booked' is not a ticket status"));
    expect(reply.json['detail']).toEqual(expect.stringContaining("window.end '2027-03-01T22:00:00Z' is before window.start"));
    expect((reply.json['errors'] as { pointer: string }[]).map((e) => e.pointer)).toEqual(['/sourceKey', '/window/end', '/status']);
    expect(sim.tickets()).toEqual([]);
    // The refused request did not use up the key.
    expect((await put(bridge, exampleTicket(), 'k')).status).toBe(201);
  });

  it('requires an Idempotency-Key on PUT, JSON bodies, and the path’s ticket id in the body', async () => {
    const noKey = await put(bridge, exampleTicket());
    expect(noKey).toMatchObject({ status: 400, json: { type: PROBLEM_TYPES.idempotencyKeyMissing } });
    const text = await call(bridge, 'PUT', `/v1/tickets/${EXAMPLE_TICKET_ID}`, 'ticket', { 'idempotency-key': 'k', 'content-type': 'text/plain' });
    expect(text).toMatchObject({ status: 415, json: { type: PROBLEM_TYPES.unsupportedMediaType } });
    const broken = await call(bridge, 'PUT', `/v1/tickets/${EXAMPLE_TICKET_ID}`, '{"ticketId":', { 'idempotency-key': 'k' });
    expect(broken).toMatchObject({ status: 400, json: { type: PROBLEM_TYPES.malformedJson } });
    const other = await put(bridge, exampleTicket(), 'k', '0b1d2c3e-0000-4000-8000-0000000000aa');
    expect(other.status).toBe(400);
    expect(other.json['detail']).toContain('differs from the ticket id in the URL');
    const noReason = await call(bridge, 'POST', `/v1/tickets/${EXAMPLE_TICKET_ID}/cancel`, {});
    expect(noReason).toMatchObject({ status: 400, json: { errors: [{ pointer: '/reason', detail: 'reason is required.' }] } });
  });

  it('answers unknown paths with 404, wrong methods with 405 and oversize bodies with 413', async () => {
    expect((await call(bridge, 'GET', '/v2/tickets')).status).toBe(404);
    const wrong = await call(bridge, 'POST', `/v1/tickets/${EXAMPLE_TICKET_ID}`, {});
    expect(wrong.status).toBe(405);
    expect(wrong.headers['allow']).toBe('GET, PUT');
    const big = await put(bridge, { ...exampleTicket(), padding: 'x'.repeat(300 * 1024) }, 'k');
    expect(big.status).toBe(413);
  });
});

describe('mutual TLS', () => {
  it.each([
    ['no client certificate', null],
    ['the intruder’s certificate (another CA)', 'intruder'],
    ['an expired certificate', 'expiredClient'],
  ] as const)('refuses the TLS handshake with %s: no request reaches the API', async (_name, which) => {
    const agent = agentFor(which === null ? null : pki[which]);
    await expect(call(agent, 'GET', '/v1/health')).rejects.toThrow();
    expect(sim.requests()).toEqual([]);
    expect(sim.handshakeFailures()).toHaveLength(1);
  });

  it('accepts the client certificate as a password-less PFX, as Key Vault hands it out', async () => {
    const agent = new Agent({ connect: { ca: pki.ca.certPem, pfx: pki.client.pfxWithoutPassword } });
    agents.push(agent);
    expect((await call(agent, 'GET', '/v1/health')).status).toBe(200);
  });
});

describe('faults', () => {
  it('fails the next two requests with 503 (Retry-After when asked), then recovers: one ticket, one version', async () => {
    sim.setFault({ mode: 'fail', status: 503, count: 2, retryAfterSeconds: 30 });
    const a = await put(bridge, exampleTicket(), 'k');
    const b = await put(bridge, exampleTicket(), 'k');
    const c = await put(bridge, exampleTicket(), 'k');
    expect([a.status, b.status, c.status]).toEqual([503, 503, 201]);
    expect(a.headers['retry-after']).toBe('30');
    expect(a.json).toMatchObject({ type: PROBLEM_TYPES.simulatedFault, status: 503 });
    expect(sim.fault()).toEqual({ mode: 'none' });
    expect(sim.ticket(EXAMPLE_TICKET_ID)?.version).toBe(1);
    expect(sim.requests().map((r) => r.fault)).toEqual(['fail', 'fail', null]);
  });

  it('hangs: the client times out, and close() still returns at once', async () => {
    sim.setFault({ mode: 'hang' });
    await expect(call(bridge, 'GET', '/v1/health', undefined, {}, 300)).rejects.toMatchObject({ name: 'TimeoutError' });
    const pending = call(agentFor(pki.client), 'PUT', `/v1/tickets/${EXAMPLE_TICKET_ID}`, exampleTicket(), { 'idempotency-key': 'k' }, 60_000);
    const settled = pending.then(
      () => 'answered',
      () => 'connection ended',
    );
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await sim.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(settled).resolves.toBe('connection ended');
    expect(sim.requests().map((r) => [r.fault, r.status])).toEqual([
      ['hang', null],
      ['hang', null],
    ]);
  });

  it('is slow: answers after the delay, and processes a request whose client gave up (the retry then replays it)', async () => {
    sim.setFault({ mode: 'slow', delayMs: 400 });
    const started = Date.now();
    expect((await call(bridge, 'GET', '/v1/health')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);

    await expect(call(bridge, 'PUT', `/v1/tickets/${EXAMPLE_TICKET_ID}`, exampleTicket(), { 'idempotency-key': 'k' }, 100)).rejects.toMatchObject({ name: 'TimeoutError' });
    await new Promise((r) => setTimeout(r, 500));
    expect(sim.ticket(EXAMPLE_TICKET_ID)?.version).toBe(1);
    sim.setFault({ mode: 'none' });
    const retry = await put(bridge, exampleTicket(), 'k');
    expect(retry).toMatchObject({ status: 201, json: { version: 1 }, headers: { 'idempotent-replayed': 'true' } });
  });

  it('drops the connection without an answer, then recovers', async () => {
    sim.setFault({ mode: 'drop', count: 1 });
    await expect(call(bridge, 'GET', '/v1/health')).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
    expect((await call(bridge, 'GET', '/v1/health')).status).toBe(200);
  });

  it('rejects an invalid fault', () => {
    expect(() => sim.setFault({ mode: 'slow', delayMs: -1 })).toThrow(/delayMs/);
    expect(() => sim.setFault({ mode: 'fail', status: 200 })).toThrow(/status/);
    expect(() => sim.setFault({ mode: 'explode' } as never)).toThrow(/not a fault mode/);
  });
});

describe('/__admin/ (another process)', () => {
  it('sets and reads faults, lists tickets and requests, resets; never faulted or recorded itself', async () => {
    const set = await call(bridge, 'PUT', '/__admin/fault', { mode: 'fail', status: 500, count: 1 });
    expect(set).toMatchObject({ status: 200, json: { mode: 'fail', status: 500, count: 1 } });
    expect((await call(bridge, 'GET', '/__admin/fault')).json).toEqual({ mode: 'fail', status: 500, count: 1 });
    expect((await call(bridge, 'GET', '/v1/health')).status).toBe(500);
    expect((await put(bridge, exampleTicket(), 'k')).status).toBe(201);

    const tickets = await request(`${sim.url}/__admin/tickets`, { dispatcher: bridge });
    expect(((await tickets.body.json()) as unknown[]).length).toBe(1);
    const requests = (await (await request(`${sim.url}/__admin/requests`, { dispatcher: bridge })).body.json()) as { path: string; status: number }[];
    expect(requests.map((r) => [r.path, r.status])).toEqual([
      ['/v1/health', 500],
      [`/v1/tickets/${EXAMPLE_TICKET_ID}`, 201],
    ]);

    const invalid = await call(bridge, 'PUT', '/__admin/fault', { mode: 'slow' });
    expect(invalid.status).toBe(400);
    expect(invalid.json['detail']).toContain('delayMs');

    const reset = await request(`${sim.url}/__admin/reset`, { method: 'POST', dispatcher: bridge });
    await reset.body.text();
    expect(reset.statusCode).toBe(204);
    expect(sim.tickets()).toEqual([]);
    expect(sim.requests()).toEqual([]);
  });

  it('requires the client certificate too', async () => {
    await expect(call(agentFor(pki.intruder), 'PUT', '/__admin/fault', { mode: 'none' })).rejects.toThrow();
  });
});

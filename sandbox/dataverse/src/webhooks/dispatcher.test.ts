import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pfb_tasksync, ServiceEndpointAuthType, SyncStatus } from '@pfb/domain';
import { parseAuthSettings, WebhookDispatcher, type SystemJobRecord, type WebhookDelivery } from './dispatcher';
import { buildRemoteExecutionContext, serializeRemoteExecutionContext, type RemoteExecutionContext } from './remoteExecutionContext';

interface Received {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

interface Receiver {
  readonly base: string;
  readonly requests: Received[];
  /** Most requests seen in flight at once. */
  maxInFlight: number;
  close(): Promise<void>;
}

/** A real HTTP receiver on loopback; `respond` decides the status (and may delay, or never answer). */
async function receiver(respond: (req: Received, n: number, res: ServerResponse) => Promise<number | 'hang'> | number | 'hang'): Promise<Receiver> {
  const requests: Received[] = [];
  let inFlight = 0;
  const state = { maxInFlight: 0 };
  const server = createServer((req, res) => {
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received = { url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(received);
      void Promise.resolve(respond(received, requests.length, res)).then((status) => {
        if (status === 'hang') return;
        inFlight--;
        res.writeHead(status, { 'content-type': 'text/plain' }).end('ignored by Dataverse');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    get maxInFlight() {
      return state.maxInFlight;
    },
    set maxInFlight(v: number) {
      state.maxInFlight = v;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function contextFor(id: string, extra: Record<string, string> = {}): RemoteExecutionContext {
  return buildRemoteExecutionContext({
    table: pfb_tasksync,
    messageName: 'Update',
    primaryEntityId: id,
    target: { pfb_tasksyncid: id, pfb_syncstatus: SyncStatus.ReadyToSync, ...extra },
    userId: '0af3c2a1-0000-4000-8000-000000000001',
    initiatingUserId: '0af3c2a1-0000-4000-8000-000000000001',
    businessUnitId: '0af3c2a1-0000-4000-8000-000000000002',
    organizationId: '0af3c2a1-0000-4000-8000-000000000003',
    organizationName: 'unqlocal',
    correlationId: '0af3c2a1-0000-4000-8000-000000000004',
    operationId: '0af3c2a1-0000-4000-8000-000000000005',
    owningStepId: '0af3c2a1-0000-4000-8000-000000000006',
    operationCreatedOn: new Date('2026-03-02T09:30:00Z'),
    depth: 1,
    mode: 1,
    stage: 40,
  });
}

const TASK = 'c0ffee00-1111-4222-8333-444455556666';
const SECRET_KEY = 'k3y/with=special&chars';

function delivery(url: string, overrides: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    endpoint: { id: 'e0000000-0000-4000-8000-000000000001', url, authType: ServiceEndpointAuthType.WebhookKey, authValue: SECRET_KEY },
    context: contextFor(TASK),
    step: { id: '50000000-0000-4000-8000-000000000001', name: 'ProjectFieldBridge: Update of pfb_tasksync', asyncAutoDelete: false },
    headers: { organization: 'contoso.crm.dynamics.com' },
    ...overrides,
  };
}

function setup(opts: { timeoutMs?: number; concurrency?: number } = {}) {
  const jobs: SystemJobRecord[] = [];
  const logs: string[] = [];
  const dispatcher = new WebhookDispatcher({
    recordSystemJob: (job) => jobs.push(job),
    log: (level, message) => logs.push(`${level}: ${message}`),
    now: () => new Date('2026-03-02T09:30:05Z'),
    ...opts,
  });
  return { dispatcher, jobs, logs };
}

describe('WebhookDispatcher', () => {
  let rx: Receiver | undefined;
  afterEach(async () => {
    await rx?.close();
    rx = undefined;
  });

  it('posts the serialized context with the documented headers and ?code= for a Webhook Key', async () => {
    rx = await receiver(() => 200);
    const { dispatcher, jobs, logs } = setup();
    const d = delivery(`${rx.base}/api/taskSync`);
    const result = await dispatcher.enqueue(d);

    expect(result).toMatchObject({ status: 'Succeeded', attempts: 1 });
    expect(rx.requests).toHaveLength(1);
    const req = rx.requests[0] as Received;
    expect(req.body).toBe(serializeRemoteExecutionContext(d.context));
    expect(req.body).toContain('\\/Date(');
    const url = new URL(req.url, rx.base);
    expect(url.pathname).toBe('/api/taskSync');
    expect(url.searchParams.get('code')).toBe(SECRET_KEY);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(req.headers['x-ms-dynamics-organization']).toBe('contoso.crm.dynamics.com');
    expect(req.headers['x-ms-dynamics-entity-name']).toBe('pfb_tasksync');
    expect(req.headers['x-ms-dynamics-request-name']).toBe('Update');
    expect(req.headers['x-ms-correlation-request-id']).toBe('0af3c2a1-0000-4000-8000-000000000004');
    expect(req.headers).not.toHaveProperty('x-ms-dynamics-msg-size-exceeded');

    expect(jobs).toEqual([
      expect.objectContaining({
        name: 'ProjectFieldBridge: Update of pfb_tasksync',
        owningStepId: '50000000-0000-4000-8000-000000000001',
        status: 'Succeeded',
        stateCode: 3,
        statusCode: 30,
        retryCount: 0,
        regarding: { logicalName: 'pfb_tasksync', id: TASK },
        messageName: 'Update',
        primaryEntityType: 'pfb_tasksync',
        correlationId: '0af3c2a1-0000-4000-8000-000000000004',
        depth: 1,
      }),
    ]);
    expect(logs.join('\n')).not.toContain('k3y');
  });

  it('sends Http Header auth settings as request headers, with no query string', async () => {
    rx = await receiver(() => 204);
    const { dispatcher, jobs } = setup();
    await dispatcher.enqueue(
      delivery(`${rx.base}/hook`, {
        endpoint: {
          id: 'e1',
          url: `${rx.base}/hook`,
          authType: ServiceEndpointAuthType.HttpHeader,
          authValue: '<settings><setting name="x-api-key" value="s3cr&amp;t" /><setting name=\'x-tenant\' value=\'contoso\'/></settings>',
        },
      }),
    );
    const req = rx.requests[0] as Received;
    expect(req.url).toBe('/hook');
    expect(req.headers['x-api-key']).toBe('s3cr&t');
    expect(req.headers['x-tenant']).toBe('contoso');
    expect(jobs[0]?.status).toBe('Succeeded');
  });

  it('sends Http Query String auth settings as query parameters, keeping the URL own query', async () => {
    rx = await receiver(() => 200);
    const { dispatcher } = setup();
    await dispatcher.enqueue(
      delivery(`${rx.base}/hook?source=dataverse`, {
        endpoint: {
          id: 'e2',
          url: `${rx.base}/hook?source=dataverse`,
          authType: ServiceEndpointAuthType.HttpQueryString,
          authValue: '<settings><setting name="Key1" value="Value 1" /><setting name="Key2" value="Value2" /></settings>',
        },
      }),
    );
    const url = new URL((rx.requests[0] as Received).url, rx.base);
    expect([...url.searchParams]).toEqual([
      ['source', 'dataverse'],
      ['Key1', 'Value 1'],
      ['Key2', 'Value2'],
    ]);
  });

  it('503 then 200: one retry, the same request id, Succeeded', async () => {
    rx = await receiver((_req, n) => (n === 1 ? 503 : 200));
    const { dispatcher, jobs } = setup();
    const result = await dispatcher.enqueue(delivery(`${rx.base}/hook`));
    expect(result).toMatchObject({ status: 'Succeeded', attempts: 2 });
    expect(rx.requests).toHaveLength(2);
    expect(rx.requests[1]?.headers['x-request-id']).toBe(rx.requests[0]?.headers['x-request-id']);
    expect(rx.requests[1]?.body).toBe(rx.requests[0]?.body);
    expect(jobs).toEqual([expect.objectContaining({ status: 'Succeeded', statusCode: 30, retryCount: 1 })]);
  });

  it('500: no retry, a Failed system job naming the URL and the status, never the key', async () => {
    rx = await receiver(() => 500);
    const { dispatcher, jobs, logs } = setup();
    const result = await dispatcher.enqueue(delivery(`${rx.base}/hook`));
    expect(result).toMatchObject({ status: 'Failed', attempts: 1 });
    expect(rx.requests).toHaveLength(1);
    expect(jobs).toHaveLength(1);
    const job = jobs[0] as SystemJobRecord;
    expect(job).toMatchObject({ status: 'Failed', stateCode: 3, statusCode: 31, retryCount: 0 });
    expect(job.message).toContain(`${rx.base}/hook`);
    expect(job.message).toContain('HTTP 500 Internal Server Error');
    expect(job.message).toContain('ProjectFieldBridge: Update of pfb_tasksync');
    expect(job.message).toContain(TASK);
    expect(job.message).not.toContain('code=');
    expect(job.message).not.toContain('k3y');
    expect(logs.join('\n')).not.toContain('k3y');
  });

  it('502 twice: two attempts, then Failed', async () => {
    rx = await receiver(() => 502);
    const { dispatcher, jobs } = setup();
    const result = await dispatcher.enqueue(delivery(`${rx.base}/hook`));
    expect(result).toMatchObject({ status: 'Failed', attempts: 2 });
    expect(rx.requests).toHaveLength(2);
    expect(jobs).toEqual([expect.objectContaining({ status: 'Failed', statusCode: 31, retryCount: 1 })]);
    expect(jobs[0]?.message).toMatch(/HTTP 502 Bad Gateway.*retry.*HTTP 502 Bad Gateway/);
  });

  it('404 and 301 are failures too (only 2xx succeeds), without a retry', async () => {
    rx = await receiver((_req, n) => (n === 1 ? 404 : 301));
    const { dispatcher, jobs } = setup();
    await dispatcher.enqueue(delivery(`${rx.base}/a`));
    await dispatcher.enqueue(delivery(`${rx.base}/b`));
    expect(rx.requests).toHaveLength(2);
    expect(jobs.map((j) => j.status)).toEqual(['Failed', 'Failed']);
  });

  it('no answer within the timeout: Failed after one attempt', async () => {
    rx = await receiver(() => 'hang');
    const { dispatcher, jobs } = setup({ timeoutMs: 250 });
    const started = Date.now();
    const result = await dispatcher.enqueue(delivery(`${rx.base}/slow`));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result).toMatchObject({ status: 'Failed', attempts: 1 });
    expect(rx.requests).toHaveLength(1);
    expect(jobs[0]?.message).toContain('did not answer within 250 ms');
  });

  it('connection refused: Failed with the reason', async () => {
    const closed = await receiver(() => 200);
    const url = `${closed.base}/gone`;
    await closed.close();
    const { dispatcher, jobs } = setup();
    const result = await dispatcher.enqueue(delivery(url));
    expect(result.status).toBe('Failed');
    expect(jobs[0]?.message).toContain('ECONNREFUSED');
  });

  it('asyncAutoDelete: no system job on success, a Failed one on failure', async () => {
    rx = await receiver((_req, n) => (n === 1 ? 200 : 500));
    const { dispatcher, jobs } = setup();
    const step = { id: 's-auto', name: 'auto-delete step', asyncAutoDelete: true };
    expect((await dispatcher.enqueue(delivery(`${rx.base}/h`, { step }))).status).toBe('Succeeded');
    expect(jobs).toEqual([]);
    expect((await dispatcher.enqueue(delivery(`${rx.base}/h`, { step }))).status).toBe('Failed');
    expect(jobs).toEqual([expect.objectContaining({ status: 'Failed', owningStepId: 's-auto' })]);
  });

  it('posts deliveries of one step one at a time, in the order queued', async () => {
    const order: string[] = [];
    let concurrentForStep = 0;
    let maxConcurrentForStep = 0;
    rx = await receiver(async (req) => {
      concurrentForStep++;
      maxConcurrentForStep = Math.max(maxConcurrentForStep, concurrentForStep);
      const ctx = JSON.parse(req.body) as { PrimaryEntityId: string };
      order.push(ctx.PrimaryEntityId);
      // The first is the slowest: a dispatcher that does not keep order would let the others overtake it.
      await delay(order.length === 1 ? 150 : 10 + Math.floor(Math.random() * 20));
      concurrentForStep--;
      return 200;
    });
    const { dispatcher, jobs } = setup();
    const ids = Array.from({ length: 6 }, (_, i) => `00000000-0000-4000-8000-00000000000${i}`);
    for (const id of ids) void dispatcher.enqueue(delivery(`${rx.base}/h`, { context: contextFor(id) }));
    await dispatcher.idle();
    expect(order).toEqual(ids);
    expect(maxConcurrentForStep).toBe(1);
    expect(jobs.map((j) => j.regarding.id)).toEqual(ids);
  });

  it('runs different steps in parallel, never more than the concurrency bound', async () => {
    rx = await receiver(async () => {
      await delay(80);
      return 200;
    });
    const { dispatcher, jobs } = setup({ concurrency: 3 });
    for (let i = 0; i < 8; i++) {
      void dispatcher.enqueue(delivery(`${rx.base}/h`, { step: { id: `step-${i}`, name: `step ${i}`, asyncAutoDelete: false } }));
    }
    await dispatcher.idle();
    expect(rx.requests).toHaveLength(8);
    expect(rx.maxInFlight).toBe(3);
    expect(jobs).toHaveLength(8);
  });

  it('over 256 KB: stripped body and x-ms-dynamics-msg-size-exceeded', async () => {
    rx = await receiver(() => 200);
    const { dispatcher } = setup();
    const big = contextFor(TASK, { pfb_lasterror: 'x'.repeat(300 * 1024) });
    await dispatcher.enqueue(delivery(`${rx.base}/h`, { context: big }));
    const req = rx.requests[0] as Received;
    expect(req.headers['x-ms-dynamics-msg-size-exceeded']).toBeDefined();
    const body = JSON.parse(req.body) as Record<string, unknown>;
    expect(body['InputParameters']).toEqual([]);
    expect(body['PrimaryEntityId']).toBe(TASK);
    expect(Buffer.byteLength(req.body)).toBeLessThan(256 * 1024);
  });

  it('a bad endpoint configuration fails the job without sending anything or quoting the secret', async () => {
    rx = await receiver(() => 200);
    const { dispatcher, jobs } = setup();
    await dispatcher.enqueue(
      delivery(`${rx.base}/h`, { endpoint: { id: 'e', url: `${rx.base}/h`, authType: ServiceEndpointAuthType.HttpHeader, authValue: 'x-api-key: hunter2' } }),
    );
    await dispatcher.enqueue(delivery(`${rx.base}/h`, { endpoint: { id: 'e', url: `${rx.base}/h`, authType: ServiceEndpointAuthType.SASKey, authValue: 'hunter2' } }));
    expect(rx.requests).toHaveLength(0);
    expect(jobs.map((j) => j.status)).toEqual(['Failed', 'Failed']);
    expect(jobs[0]?.message).toContain('<settings>');
    expect(jobs[1]?.message).toContain('authentication type 2');
    for (const j of jobs) expect(j.message).not.toContain('hunter2');
  });

  it('close(): refuses new deliveries; with abort, cancels what is in flight and records nothing', async () => {
    rx = await receiver(() => 'hang');
    const { dispatcher, jobs } = setup({ timeoutMs: 30_000 });
    const inFlight = dispatcher.enqueue(delivery(`${rx.base}/h`));
    const queued = dispatcher.enqueue(delivery(`${rx.base}/h`));
    while (rx.requests.length === 0) await delay(5);
    await dispatcher.close({ abort: true });
    expect(await inFlight).toMatchObject({ status: 'Canceled' });
    expect(await queued).toMatchObject({ status: 'Canceled', attempts: 0 });
    expect(jobs).toEqual([]);
    expect(() => dispatcher.enqueue(delivery(`${rx?.base ?? ''}/h`))).toThrow(/closed/);
  });

  it('idle() resolves at once when nothing is queued', async () => {
    const { dispatcher } = setup();
    await expect(dispatcher.idle()).resolves.toBeUndefined();
  });
});

describe('parseAuthSettings', () => {
  it('reads names and values, decoding XML entities', () => {
    expect(parseAuthSettings('<settings><setting name="a" value="1 &lt; 2 &#38; &#x41;" /><setting name="b" value="" /></settings>')).toEqual([
      ['a', '1 < 2 & A'],
      ['b', ''],
    ]);
  });

  it.each(['', 'key=value', '<settings></settings>', '<settings><setting value="v" /></settings>'])('rejects %j', (text) => {
    expect(() => parseAuthSettings(text)).toThrow();
  });
});

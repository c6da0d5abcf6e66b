/**
 * GET /api/health — can the bridge do its work? Dataverse answers WhoAmI as the bridge's user, the storage queues
 * answer (with their message counts: failed messages waiting in a parking queue are reported, not unhealthy), and the
 * mobility app answers its health check over mutual TLS. 200 when all three are fine, 503 otherwise, with each part's
 * status and one line of detail. No part of the answer is a secret: details are redacted and carry no keys, tokens,
 * connection strings or certificate material. Each check gives up after 5 s.
 */
import { app } from '@azure/functions';
import { QUEUES } from '../services/queueMessages';
import type { Bridge, ProbeResult } from '../app/bridge';
import type { HttpFunctionDefinition } from '../app/functionDefinition';
import { httpHandlerOf, insideFunctionsHost } from '../app/functionsHost';
import { parkedQueueOf, queueFamily } from '../app/poisonEnvelope';

export const HEALTH_TIMEOUT_MS = 5_000;

export interface PartStatus extends ProbeResult {
  readonly ms: number;
  readonly counts?: Readonly<Record<string, number>>;
}

async function timed(run: () => Promise<ProbeResult & { counts?: Record<string, number> }>): Promise<PartStatus> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${HEALTH_TIMEOUT_MS / 1000} s` }), HEALTH_TIMEOUT_MS);
  });
  try {
    const result = await Promise.race([run(), timeout]);
    return { ...result, ms: Date.now() - started };
  } catch (e) {
    return { ok: false, detail: e instanceof Error ? e.message : String(e), ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

async function queuesProbe(bridge: Bridge): Promise<ProbeResult & { counts?: Record<string, number> }> {
  const names = [QUEUES.taskSync, QUEUES.bookingDispatch].flatMap(queueFamily);
  try {
    const counts = await bridge.queues.counts(names);
    const parked = [QUEUES.taskSync, QUEUES.bookingDispatch].map((q) => [q, counts[parkedQueueOf(q)] ?? 0] as const).filter(([, n]) => n > 0);
    const note = parked.length ? `; failed messages waiting for a re-drive: ${parked.map(([q, n]) => `${q} ${n}`).join(', ')}` : '';
    return { ok: true, detail: `${names.length} queues reachable${note}`, counts };
  } catch (e) {
    return { ok: false, detail: `storage queues unreachable: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
}

export const healthFunction: HttpFunctionDefinition = {
  kind: 'http',
  name: 'health',
  methods: ['GET'],
  route: 'health',
  authLevel: 'anonymous',
  async handle(bridge) {
    const [dataverse, queues, mobility] = await Promise.all([timed(bridge.probes.dataverse), timed(() => queuesProbe(bridge)), timed(bridge.probes.mobility)]);
    const parts = { dataverse, queues, mobility };
    const ok = Object.values(parts).every((p) => p.ok);
    const checks = Object.fromEntries(Object.entries(parts).map(([k, p]) => [k, { ...p, detail: bridge.telemetry.redact(p.detail) }]));
    return { status: ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' }, jsonBody: { status: ok ? 'healthy' : 'unhealthy', checks } };
  },
};

export const health = httpHandlerOf(healthFunction);

if (insideFunctionsHost()) {
  app.http(healthFunction.name, { methods: healthFunction.methods, route: healthFunction.route, authLevel: healthFunction.authLevel, handler: health });
}

/**
 * The mobility app, simulated: the ticket API of mobility-api.yaml over HTTPS on 127.0.0.1, refusing any TLS client
 * without a certificate from the test CA (the real app authenticates the bridge by its client certificate only).
 * Tickets live in memory. Every API request is recorded for tests (never its TLS material); failures are injected
 * with `setFault`, in process or from another process through `/__admin/`.
 */
import { X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { CertificateAndKey } from '../pki/issueCertificate';
import { listenLoopbackHttps } from '../pki/loopbackHttpsServer';
import { handleAdmin, ADMIN_PREFIX } from './adminRoutes';
import { FaultState, type Fault, type FaultMode } from './faults';
import { readBody, sendJson, sendProblem } from './httpIo';
import { IdempotencyStore } from './idempotencyStore';
import { PROBLEM_TYPES, problem } from './problem';
import { TicketApi } from './ticketApi';
import type { StoredTicket } from './ticketContract';
import { TicketStore } from './ticketStore';

export interface MobilitySimulatorOptions {
  /** The test PKI (`createTestPki()`), or just its CA certificate and the server's certificate and key. */
  readonly pki: { readonly ca: { readonly certPem: string }; readonly server: CertificateAndKey };
  /** 0 or absent = a free port. */
  readonly port?: number;
  /** Larger bodies get 413. Default 256 KiB. */
  readonly maxBodyBytes?: number;
  /** Clock for createdAt/updatedAt. */
  readonly now?: () => Date;
}

export interface RecordedRequest {
  /** 1, 2, 3… in arrival order. */
  readonly seq: number;
  readonly at: string;
  readonly method: string;
  /** Path without the query. */
  readonly path: string;
  readonly idempotencyKey: string | null;
  /** The client certificate's subject, e.g. `O=Project Field Bridge (test), CN=field-bridge`. */
  readonly clientSubject: string | null;
  readonly clientFingerprint256: string | null;
  /** The JSON body as received (null when none or not JSON). */
  readonly body: unknown;
  /** The status answered; null while pending and when never answered (hang, drop). */
  readonly status: number | null;
  /** The fault applied to this request, if any. */
  readonly fault: FaultMode | null;
  /** True when a stored answer was sent again for a repeated Idempotency-Key. */
  readonly replayed: boolean;
}

export interface HandshakeFailure {
  readonly at: string;
  /** OpenSSL's reason as Node reports it, e.g. ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE. */
  readonly code: string;
}

export interface MobilitySimulator {
  /** `https://127.0.0.1:<port>`: the API's base URL (paths /v1/… and /__admin/…). */
  readonly url: string;
  readonly port: number;
  setFault(fault: Fault): void;
  /** The fault in force (`count` = what is left of it). */
  fault(): Fault;
  /** Current tickets (copies). */
  tickets(): StoredTicket[];
  ticket(ticketId: string): StoredTicket | undefined;
  /** Every /v1/ request so far (copies), oldest first; /__admin/ calls are not recorded. */
  requests(): RecordedRequest[];
  /** TLS handshakes the server refused (no client certificate, untrusted, expired…). */
  handshakeFailures(): HandshakeFailure[];
  /** Forgets tickets, idempotency keys, recorded requests and handshake failures; clears the fault. */
  reset(): void;
  /** Stops at once, ending hanging and keep-alive connections. */
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY = 256 * 1024;

type MutableRecord = { -readonly [K in keyof RecordedRequest]: RecordedRequest[K] };

function clientIdentity(req: IncomingMessage): { subject: string | null; fingerprint256: string | null } {
  const socket = req.socket as TLSSocket;
  const peer = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
  if (!peer?.raw) return { subject: null, fingerprint256: null };
  const x509 = new X509Certificate(peer.raw);
  return { subject: x509.subject.split('\n').join(', '), fingerprint256: x509.fingerprint256 };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export async function startMobilitySimulator(options: MobilitySimulatorOptions): Promise<MobilitySimulator> {
  const now = options.now ?? (() => new Date());
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const store = new TicketStore();
  const idempotency = new IdempotencyStore();
  const api = new TicketApi(store, idempotency, now);
  const faults = new FaultState();
  const records: MutableRecord[] = [];
  const refused: HandshakeFailure[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const reset = (): void => {
    store.clear();
    idempotency.clear();
    records.length = 0;
    refused.length = 0;
    faults.set({ mode: 'none' });
  };

  const answerApi = (req: IncomingMessage, res: ServerResponse, record: MutableRecord, bodyText: string): void => {
    const answer = api.handle({ method: record.method, path: record.path, contentType: header(req, 'content-type'), idempotencyKey: header(req, 'idempotency-key'), bodyText });
    record.status = answer.status;
    record.replayed = answer.replayed;
    if (answer.isProblem) sendProblem(res, answer.body as Parameters<typeof sendProblem>[1], answer.headers);
    else sendJson(res, answer.status, answer.body, answer.headers);
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const identity = clientIdentity(req);
    const record: MutableRecord = {
      seq: records.length + 1,
      at: now().toISOString(),
      method: req.method ?? 'GET',
      path,
      idempotencyKey: header(req, 'idempotency-key') ?? null,
      clientSubject: identity.subject,
      clientFingerprint256: identity.fingerprint256,
      body: null,
      status: null,
      fault: null,
      replayed: false,
    };
    records.push(record);
    const read = await readBody(req, maxBody);
    if (!read.ok) {
      record.status = 413;
      sendProblem(res, problem(PROBLEM_TYPES.payloadTooLarge, 413, 'Body too large', `The body is larger than ${maxBody} bytes.`, { instance: path }), { connection: 'close' });
      return;
    }
    try {
      record.body = read.text ? (JSON.parse(read.text) as unknown) : null;
    } catch {
      record.body = null;
    }

    const fault = faults.take();
    switch (fault.mode) {
      case 'none':
        answerApi(req, res, record, read.text);
        return;
      case 'fail': {
        record.fault = 'fail';
        const status = fault.status ?? 503;
        record.status = status;
        const retryAfter: Record<string, string> = fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
        sendProblem(res, problem(PROBLEM_TYPES.simulatedFault, status, 'Simulated failure', `The mobility simulator was told to fail this request with HTTP ${status}.`, { instance: path }), retryAfter);
        return;
      }
      case 'hang':
        // Never answered; close() ends the connection.
        record.fault = 'hang';
        return;
      case 'drop':
        record.fault = 'drop';
        req.socket.destroy();
        return;
      case 'slow': {
        record.fault = 'slow';
        const timer = setTimeout(() => {
          timers.delete(timer);
          answerApi(req, res, record, read.text);
        }, fault.delayMs);
        timers.add(timer);
        return;
      }
    }
  };

  const running = await listenLoopbackHttps({ server: options.pki.server, clientCa: options.pki.ca.certPem, port: options.port }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://127.0.0.1').pathname;
    const work = path.startsWith(ADMIN_PREFIX)
      ? handleAdmin(req, res, path, { faults, store, records: () => records.map((r) => ({ ...r })), reset })
      : handleApi(req, res, path);
    work.catch((e: unknown) => {
      // A bug here must not leave the client hanging; the message carries no request data.
      if (!res.headersSent) sendJson(res, 500, { type: 'about:blank', title: 'Simulator error', status: 500, detail: (e as Error).message });
    });
  });
  running.server.on('tlsClientError', (e: NodeJS.ErrnoException) => {
    refused.push({ at: now().toISOString(), code: e.code ?? e.message.split('\n')[0] ?? 'TLS error' });
  });

  return {
    url: running.url,
    port: running.port,
    setFault: (fault) => faults.set(fault),
    fault: () => faults.current(),
    tickets: () => structuredClone(store.list()),
    ticket: (ticketId) => {
      const t = store.get(ticketId);
      return t && structuredClone(t);
    },
    requests: () => records.map((r) => structuredClone(r) as RecordedRequest),
    handshakeFailures: () => refused.map((r) => ({ ...r })),
    reset,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await running.close();
    },
  };
}

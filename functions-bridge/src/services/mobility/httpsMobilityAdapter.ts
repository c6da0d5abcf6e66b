/**
 * The mobility ticket API over HTTPS with mutual TLS (contracts/mobility-api.yaml). The client certificate comes from
 * the CertificateProvider (Key Vault) and lives only in the undici Agent's TLS options; one Agent (one connection
 * pool) per certificate, replaced when the certificate changes.
 *
 * Certificate rotation: when a request fails in a way our client certificate may cause (TLS handshake refused, the
 * connection closed unanswered right after the handshake, HTTP 401/403), the cached certificate is invalidated and
 * read again from Key Vault once; if Key Vault now holds a different certificate the request is sent once more with
 * it. If it holds the same one, retrying now cannot help: the error goes to the caller (retryable — the queue tries
 * again in 30 s, by when an operator may have fixed the vault).
 */
import { Agent, request, type Dispatcher } from 'undici';
import type { ClientCredentials } from './certificateSecret';
import type { CertificateProvider, ProviderLog } from './keyVaultCertificateProvider';
import type { CancelResult, HealthResult, MobilityAdapter, TicketVersion } from './mobilityAdapter';
import { MobilityError, mobilityErrorFromFailure, mobilityErrorFromResponse } from './mobilityError';
import { ticketReceiptSchema, type Ticket } from './ticket';

export interface HttpsMobilityAdapterOptions {
  /** e.g. https://mobility.example.com (MOBILITY_BASE_URL); paths /v1/… are appended. */
  readonly baseUrl: string;
  readonly certificates: CertificateProvider;
  /** PEM of a private CA the API's server certificate chains to (MOBILITY_CA_PEM); the system CAs otherwise. */
  readonly caPem?: string;
  /** Per request, from connecting to the last byte of the answer. Default 15 s. */
  readonly timeoutMs?: number;
  readonly log?: ProviderLog;
}

interface Answer {
  readonly status: number;
  readonly body: string;
}

const DEFAULT_TIMEOUT_MS = 15_000;

function sameCredentials(a: ClientCredentials, b: ClientCredentials): boolean {
  if (a === b) return true;
  if (a.pfx || b.pfx) return Boolean(a.pfx && b.pfx && a.pfx.equals(b.pfx)) && a.passphrase === b.passphrase;
  return a.cert === b.cert && a.key === b.key && a.passphrase === b.passphrase;
}

export class HttpsMobilityAdapter implements MobilityAdapter {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private pool: { readonly credentials: ClientCredentials; readonly agent: Agent } | undefined;

  constructor(private readonly options: HttpsMobilityAdapterOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async upsertTicket(ticket: Ticket, idempotencyKey: string): Promise<TicketVersion> {
    const operation = `PUT ticket ${ticket.ticketId}`;
    const answer = await this.send(operation, 'PUT', `/v1/tickets/${encodeURIComponent(ticket.ticketId)}`, ticket, idempotencyKey);
    const receipt = this.receipt(operation, answer);
    return { mobilityRef: receipt.mobilityRef, version: receipt.version };
  }

  async cancelTicket(ticketId: string, reason: string, idempotencyKey: string): Promise<CancelResult> {
    const operation = `cancel ticket ${ticketId}`;
    const answer = await this.send(operation, 'POST', `/v1/tickets/${encodeURIComponent(ticketId)}/cancel`, { reason }, idempotencyKey, [404]);
    if (answer.status === 404) return { found: false, mobilityRef: null, version: null };
    const receipt = this.receipt(operation, answer);
    return { found: true, mobilityRef: receipt.mobilityRef, version: receipt.version };
  }

  async health(): Promise<HealthResult> {
    try {
      const answer = await this.send('GET health', 'GET', '/v1/health');
      return { ok: true, detail: `HTTP ${answer.status}${answer.body ? ` ${answer.body.slice(0, 200)}` : ''}` };
    } catch (e) {
      return { ok: false, detail: e instanceof Error ? e.message : String(e) };
    }
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.agent.close();
  }

  private receipt(operation: string, answer: Answer): { mobilityRef: string; version: number } {
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      parsed = undefined;
    }
    const result = ticketReceiptSchema.safeParse(parsed);
    if (!result.success) {
      throw new MobilityError({ operation, kind: 'protocol', status: answer.status, reason: `HTTP ${answer.status} without a ticket receipt ({ ticketId, mobilityRef, version, status })` });
    }
    return result.data;
  }

  /** One request, with the rotate-and-retry-once path on a failure our certificate may cause. */
  private async send(operation: string, method: Dispatcher.HttpMethod, path: string, body?: unknown, idempotencyKey?: string, accepted: readonly number[] = []): Promise<Answer> {
    const credentials = await this.options.certificates.getCredentials();
    try {
      return await this.attempt(operation, credentials, method, path, body, idempotencyKey, accepted);
    } catch (first) {
      if (!(first instanceof MobilityError) || !first.clientCertificateSuspect) throw first;
      this.options.certificates.invalidate(credentials);
      const fresh = await this.options.certificates.getCredentials();
      if (sameCredentials(fresh, credentials)) {
        this.options.log?.('warn', `${operation}: refused with the current client certificate and Key Vault holds no other`, { kind: first.kind, code: first.code ?? '' });
        throw first;
      }
      this.options.log?.('info', `${operation}: client certificate changed in Key Vault (rotation); retrying once with the new one`, { kind: first.kind, code: first.code ?? '' });
      return await this.attempt(operation, fresh, method, path, body, idempotencyKey, accepted);
    }
  }

  private async attempt(
    operation: string,
    credentials: ClientCredentials,
    method: Dispatcher.HttpMethod,
    path: string,
    body: unknown,
    idempotencyKey: string | undefined,
    accepted: readonly number[],
  ): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    let status: number;
    let text: string;
    let retryAfter: string | undefined;
    try {
      const res = await request(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        dispatcher: this.agentFor(credentials),
        signal: AbortSignal.timeout(this.timeoutMs),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      status = res.statusCode;
      const ra = res.headers['retry-after'];
      retryAfter = Array.isArray(ra) ? ra[0] : ra;
      text = await res.body.text();
    } catch (e) {
      throw mobilityErrorFromFailure(operation, e, this.timeoutMs);
    }
    if ((status >= 200 && status < 300) || accepted.includes(status)) return { status, body: text };
    throw mobilityErrorFromResponse(operation, status, text, retryAfter);
  }

  private agentFor(credentials: ClientCredentials): Agent {
    if (this.pool?.credentials === credentials) return this.pool.agent;
    const previous = this.pool?.agent;
    const agent = new Agent({
      connect: {
        ...(credentials.pfx ? { pfx: credentials.pfx } : { cert: credentials.cert, key: credentials.key }),
        ...(credentials.passphrase !== undefined ? { passphrase: credentials.passphrase } : {}),
        ...(this.options.caPem ? { ca: this.options.caPem } : {}),
        rejectUnauthorized: true,
        timeout: this.timeoutMs,
      },
    });
    this.pool = { credentials, agent };
    // Requests still running on the old certificate finish; its idle connections go.
    void previous?.close().catch(() => undefined);
    return agent;
  }
}

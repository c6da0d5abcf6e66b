/**
 * Mobility failures, classified once so the worker knows what happens next: `retryable` failures are thrown and the
 * queue retries (every 30 s, then poison); the rest become a permanent failure recorded on the booking.
 *
 * | failure                                          | retryable | why |
 * |--------------------------------------------------|-----------|-----|
 * | HTTP 5xx, 429, 408                               | yes       | the app is down, busy or slow |
 * | HTTP 409 idempotency-key-reused                  | no        | the key was used for a different request: the same retry gets the same answer (`idempotencyKeyReused`) |
 * | other HTTP 409                                   | yes       | a concurrent request or change |
 * | HTTP 401, 403                                    | yes       | the API authenticates us by the client certificate only: a refusal is a certificate or configuration problem, not the booking's |
 * | other HTTP 4xx                                   | no        | the ticket itself is wrong; sending it again cannot help |
 * | timeout, connection refused/reset                | yes       | |
 * | TLS handshake failure, certificate refused       | yes       | certificate rotation or an operator fixes it |
 * | client certificate unreadable (Key Vault, PFX)    | yes       | configuration: fixed once for all bookings, then the retries succeed |
 * | malformed success answer                          | yes       | the request was idempotent; ask again |
 *
 * Messages are composed here from codes and the app's problem title/detail, then redacted: they never carry
 * certificate material (a PEM block or a long base64 run is replaced), so they are safe to log and to store.
 */

export type MobilityErrorKind = 'http' | 'timeout' | 'network' | 'tls' | 'certificate' | 'protocol';

/** RFC 9457 problem details, as far as the app sent them. */
export interface ProblemDetails {
  readonly type?: string;
  readonly title?: string;
  readonly status?: number;
  readonly detail?: string;
  readonly instance?: string;
}

export interface MobilityErrorInit {
  readonly operation: string;
  readonly kind: MobilityErrorKind;
  readonly reason: string;
  readonly status?: number;
  readonly code?: string;
  readonly retryAfterSeconds?: number;
  readonly problem?: ProblemDetails;
  /** TLS only: our client certificate may be the cause (refused by the server), so a fresh copy may help. */
  readonly clientCertificateSuspect?: boolean;
}

export class MobilityError extends Error {
  readonly operation: string;
  readonly kind: MobilityErrorKind;
  /** The HTTP status, when the app answered. */
  readonly status: number | undefined;
  /** The Node/undici/TLS error code, or the problem type. */
  readonly code: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;
  readonly problem: ProblemDetails | undefined;
  readonly clientCertificateSuspect: boolean;
  /**
   * 409 with problem type `…/idempotency-key-reused`: this key was already used with a different body, i.e. what it
   * stands for was sent before with other content (mobility-api.yaml, PUT /v1/tickets/{ticketId}).
   */
  readonly idempotencyKeyReused: boolean;

  constructor(init: MobilityErrorInit) {
    super(redactSecrets(`${init.operation} failed: ${init.reason}`));
    this.name = 'MobilityError';
    this.operation = init.operation;
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.problem = init.problem;
    this.idempotencyKeyReused = init.kind === 'http' && init.status === 409 && Boolean(init.problem?.type?.endsWith(IDEMPOTENCY_KEY_REUSED));
    this.retryable = !this.idempotencyKeyReused && isRetryable(init.kind, init.status);
    this.clientCertificateSuspect =
      init.clientCertificateSuspect ?? ((init.kind === 'http' && (init.status === 401 || init.status === 403)) || init.kind === 'certificate');
  }
}

/** The problem type's last segment (mobility-api.yaml: https://mobility.example.com/problems/idempotency-key-reused). */
export const IDEMPOTENCY_KEY_REUSED = '/idempotency-key-reused';

const RETRYABLE_STATUS = new Set([401, 403, 408, 409, 429]);

export function isRetryable(kind: MobilityErrorKind, status: number | undefined): boolean {
  if (kind !== 'http') return true;
  if (status === undefined) return true;
  return status >= 500 || RETRYABLE_STATUS.has(status);
}

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g;
const LONG_BASE64 = /[A-Za-z0-9+/=_-]{64,}/g;

/** Removes anything that could be key or certificate material (PEM blocks, long base64 runs) from a text. */
export function redactSecrets(text: string): string {
  return text.replace(PEM_BLOCK, '[redacted PEM]').replace(LONG_BASE64, '[redacted]');
}

/** A non-2xx answer: status, the problem's title and detail, and Retry-After when sent. */
export function mobilityErrorFromResponse(operation: string, status: number, body: string, retryAfter?: string | null): MobilityError {
  const problem = parseProblem(body);
  const said = [problem?.title, problem?.detail].filter((s): s is string => Boolean(s)).join(': ');
  const reason = `HTTP ${status}${said ? ` — ${said.slice(0, 500)}` : ''}`;
  return new MobilityError({
    operation,
    kind: 'http',
    reason,
    status,
    code: problem?.type,
    problem,
    retryAfterSeconds: parseRetryAfterSeconds(retryAfter),
  });
}

function parseProblem(body: string): ProblemDetails | undefined {
  if (!body) return undefined;
  try {
    const value = JSON.parse(body) as unknown;
    if (!value || typeof value !== 'object') return undefined;
    const v = value as Record<string, unknown>;
    const str = (k: string): string | undefined => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
    return { type: str('type'), title: str('title'), detail: str('detail'), instance: str('instance'), status: typeof v['status'] === 'number' ? v['status'] : undefined };
  } catch {
    return { detail: body.slice(0, 200) };
  }
}

function parseRetryAfterSeconds(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/**
 * The server's certificate failed our verification (wrong CA, expired, wrong name): our client certificate is not
 * the cause. Node's X509 verification codes (tls, "X509 certificate error codes").
 */
const SERVER_CERTIFICATE_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT', 'ABORT_ERR']);

interface NodeLikeError {
  name?: string;
  /** A string for Node and undici errors; a number on DOMException. */
  code?: unknown;
  message?: string;
  cause?: unknown;
  socket?: { bytesRead?: number };
}

/** The innermost error with a code (fetch wraps the real one in `cause`). */
function rootOf(error: unknown): NodeLikeError {
  let e = (error ?? {}) as NodeLikeError;
  for (let depth = 0; depth < 5 && typeof e.code !== 'string' && e.cause && typeof e.cause === 'object'; depth += 1) e = e.cause as NodeLikeError;
  return e;
}

/** A thrown failure (no HTTP answer): timeout, TLS or network, always retryable. */
export function mobilityErrorFromFailure(operation: string, error: unknown, timeoutMs?: number): MobilityError {
  if (error instanceof MobilityError) return error;
  const e = rootOf(error);
  const code = typeof e.code === 'string' ? e.code : undefined;
  const said = typeof e.message === 'string' ? e.message.split('\n')[0]?.slice(0, 300) ?? '' : String(error);
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || (code && TIMEOUT_CODES.has(code))) {
    return new MobilityError({ operation, kind: 'timeout', code: code ?? e.name, reason: `no answer within ${timeoutMs !== undefined ? `${timeoutMs} ms` : 'the timeout'} (${code ?? e.name})` });
  }
  if (code && SERVER_CERTIFICATE_CODES.has(code)) {
    return new MobilityError({
      operation,
      kind: 'tls',
      code,
      clientCertificateSuspect: false,
      reason: `the mobility API's server certificate was not accepted (${code}: ${said}) — check MOBILITY_CA_PEM and the API's certificate`,
    });
  }
  const handshakeRefused = Boolean(code && (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))) || /before secure TLS connection was established/i.test(said);
  // Under TLS 1.3 the server checks our certificate after the client's side of the handshake is done; a server that
  // refuses it just closes the new connection, so the client sees a socket closed before a single response byte.
  const closedUnanswered = code === 'UND_ERR_SOCKET' && e.socket?.bytesRead === 0;
  if (handshakeRefused || closedUnanswered) {
    return new MobilityError({
      operation,
      kind: 'tls',
      code,
      clientCertificateSuspect: true,
      reason: handshakeRefused
        ? `TLS handshake failed (${code ?? 'handshake'}: ${said}) — the client certificate may be missing, expired or not trusted by the mobility API`
        : `the mobility API closed the TLS connection without answering (${code}) — it refuses our client certificate, or it failed`,
    });
  }
  return new MobilityError({ operation, kind: 'network', code, reason: `cannot reach the mobility API (${code ?? e.name ?? 'error'}: ${said})` });
}

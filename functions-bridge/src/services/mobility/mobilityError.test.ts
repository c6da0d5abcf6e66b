import { errors as undiciErrors } from 'undici';
import { MobilityError, mobilityErrorFromFailure, mobilityErrorFromResponse, redactSecrets } from './mobilityError';

const PEM_KEY = `-----BEGIN PRIVATE KEY-----\n${'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7'.repeat(4)}\n-----END PRIVATE KEY-----`;

describe('HTTP answers', () => {
  it.each([
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [429, true],
    [408, true],
    [409, true],
    [401, true],
    [403, true],
    [400, false],
    [404, false],
    [410, false],
    [413, false],
    [422, false],
  ])('HTTP %i → retryable %s', (status, retryable) => {
    const e = mobilityErrorFromResponse('PUT ticket b1', status, '');
    expect(e).toBeInstanceOf(MobilityError);
    expect(e.kind).toBe('http');
    expect(e.status).toBe(status);
    expect(e.retryable).toBe(retryable);
  });

  it('carries the problem+json title and detail, the problem type and Retry-After', () => {
    const body = JSON.stringify({ type: 'https://mobility.example/problems/invalid-ticket', title: 'Invalid ticket', status: 400, detail: 'window.end must be after window.start' });
    const e = mobilityErrorFromResponse('PUT ticket b1', 400, body);
    expect(e.message).toBe('PUT ticket b1 failed: HTTP 400 — Invalid ticket: window.end must be after window.start');
    expect(e.code).toBe('https://mobility.example/problems/invalid-ticket');
    expect(e.problem?.detail).toBe('window.end must be after window.start');
    expect(mobilityErrorFromResponse('PUT ticket b1', 503, '', '7').retryAfterSeconds).toBe(7);
  });

  it('a 409 for a reused idempotency key is not retryable (the same request gets the same answer); another 409 is', () => {
    const reused = mobilityErrorFromResponse('PUT ticket b1', 409, JSON.stringify({ type: 'https://mobility.example.com/problems/idempotency-key-reused', title: 'Idempotency-Key already used for a different request', status: 409, detail: '…' }));
    expect(reused).toMatchObject({ idempotencyKeyReused: true, retryable: false });
    expect(mobilityErrorFromResponse('PUT ticket b1', 409, '')).toMatchObject({ idempotencyKeyReused: false, retryable: true });
  });

  it('marks 401/403 as a possible client certificate problem (the API authenticates by certificate only)', () => {
    expect(mobilityErrorFromResponse('x', 403, '').clientCertificateSuspect).toBe(true);
    expect(mobilityErrorFromResponse('x', 400, '').clientCertificateSuspect).toBe(false);
    expect(mobilityErrorFromResponse('x', 503, '').clientCertificateSuspect).toBe(false);
  });
});

describe('failures without an answer', () => {
  const withCode = (code: string, message = code): Error => Object.assign(new Error(message), { code });

  it('timeouts are retryable', () => {
    for (const e of [new undiciErrors.HeadersTimeoutError(), new undiciErrors.ConnectTimeoutError(), new DOMException('The operation was aborted due to timeout', 'TimeoutError')]) {
      const m = mobilityErrorFromFailure('PUT ticket b1', e, 15000);
      expect(m.kind).toBe('timeout');
      expect(m.retryable).toBe(true);
      expect(m.message).toMatch(/no answer within 15000 ms/);
    }
  });

  it('connection failures are retryable network errors, also when wrapped by fetch', () => {
    const wrapped = new TypeError('fetch failed', { cause: withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1') });
    const m = mobilityErrorFromFailure('GET health', wrapped);
    expect(m).toMatchObject({ kind: 'network', code: 'ECONNREFUSED', retryable: true, clientCertificateSuspect: false });
  });

  it('a refused handshake or a new connection closed unanswered is a TLS failure that suspects our certificate', () => {
    const alert = mobilityErrorFromFailure('PUT ticket b1', withCode('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'error:0A00045C:SSL routines::tlsv13 alert certificate required'));
    expect(alert).toMatchObject({ kind: 'tls', retryable: true, clientCertificateSuspect: true });
    const tls12 = mobilityErrorFromFailure('PUT ticket b1', withCode('ECONNRESET', 'Client network socket disconnected before secure TLS connection was established'));
    expect(tls12).toMatchObject({ kind: 'tls', clientCertificateSuspect: true });
    const closed = Object.assign(new undiciErrors.SocketError('other side closed'), { socket: { bytesRead: 0 } });
    expect(mobilityErrorFromFailure('PUT ticket b1', closed)).toMatchObject({ kind: 'tls', retryable: true, clientCertificateSuspect: true });
    // A keep-alive connection that had answered before and then dropped is a network failure.
    const dropped = Object.assign(new undiciErrors.SocketError('other side closed'), { socket: { bytesRead: 512 } });
    expect(mobilityErrorFromFailure('PUT ticket b1', dropped)).toMatchObject({ kind: 'network', clientCertificateSuspect: false });
  });

  it("the server's certificate failing our verification is TLS, retryable, and not blamed on our certificate", () => {
    const m = mobilityErrorFromFailure('PUT ticket b1', withCode('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'));
    expect(m).toMatchObject({ kind: 'tls', retryable: true, clientCertificateSuspect: false });
    expect(m.message).toMatch(/MOBILITY_CA_PEM/);
  });
});

describe('no certificate material in messages', () => {
  it('redacts PEM blocks and long base64 runs', () => {
    const pfxBase64 = Buffer.alloc(300, 7).toString('base64');
    const text = redactSecrets(`bad key ${PEM_KEY} and pfx ${pfxBase64} end`);
    expect(text).toBe('bad key [redacted PEM] and pfx [redacted] end');
  });

  it('never lets key material reach a MobilityError message, whatever the cause said', () => {
    const m = mobilityErrorFromFailure('PUT ticket b1', Object.assign(new Error(`cannot load ${PEM_KEY}`), { code: 'ERR_OSSL_PEM_NO_START_LINE' }));
    expect(m.message).not.toMatch(/BEGIN PRIVATE KEY|MIIEvQ/);
    const r = mobilityErrorFromResponse('PUT ticket b1', 400, JSON.stringify({ title: 'Bad', detail: PEM_KEY }));
    expect(r.message).not.toMatch(/BEGIN PRIVATE KEY|MIIEvQ/);
  });
});

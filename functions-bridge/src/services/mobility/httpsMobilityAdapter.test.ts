/**
 * The HTTPS adapter against the mobility simulator over real mutual TLS, with the client certificate read by the
 * real SecretClient (@azure/keyvault-secrets) from the Key Vault stand-in — the path production takes.
 */
import { startKeyVault, type KeyVaultStandIn } from '@pfb/sandbox/keyvault';
import { exampleTicket, EXAMPLE_TICKET_ID, startMobilitySimulator, type MobilitySimulator } from '@pfb/sandbox/mobility';
import { createTestPki, type TestPki } from '@pfb/sandbox/pki';
import type { Ticket } from './ticket';
import { createMobilityAdapter } from './createMobilityAdapter';
import type { HttpsMobilityAdapter } from './httpsMobilityAdapter';
import { KeyVaultCertificateProvider } from './keyVaultCertificateProvider';
import { MobilityError } from './mobilityError';

const CERT_NAME = 'mobility-client';

let pki: TestPki;
let sim: MobilitySimulator;
let vault: KeyVaultStandIn;
const adapters: HttpsMobilityAdapter[] = [];

beforeAll(async () => {
  pki = createTestPki({ validDays: 1 });
  [sim, vault] = await Promise.all([startMobilitySimulator({ pki }), startKeyVault({ pki })]);
});
afterAll(async () => {
  await Promise.all([sim.close(), vault.close()]);
});
beforeEach(() => sim.reset());
afterEach(async () => {
  await Promise.all(adapters.splice(0).map((a) => a.close()));
});

function adapter(options: { caPem?: string | null; timeoutMs?: number } = {}): { adapter: HttpsMobilityAdapter; certificates: KeyVaultCertificateProvider } {
  const certificates = KeyVaultCertificateProvider.forVault(vault.url, CERT_NAME, vault.credential(), { clientOptions: vault.clientOptions() });
  const a = createMobilityAdapter(
    { MOBILITY_BASE_URL: sim.url, KEY_VAULT_URL: vault.url, MOBILITY_CERTIFICATE_NAME: CERT_NAME, MOBILITY_CA_PEM: options.caPem === null ? undefined : (options.caPem ?? pki.ca.certPem) },
    { certificates, timeoutMs: options.timeoutMs },
  );
  adapters.push(a);
  return { adapter: a, certificates };
}

const ticket = (): Ticket => exampleTicket() as Ticket;

/** No PEM block, key header or long base64 run (a PFX, a key) in a text. */
function expectNoKeyMaterial(text: string): void {
  expect(text).not.toMatch(/-----BEGIN|PRIVATE KEY|[A-Za-z0-9+/]{64,}/);
  for (const secret of [pki.client.keyPem, pki.intruder.keyPem]) expect(text).not.toContain(secret.split('\n')[1]);
}

describe.each(['pfx', 'pem'] as const)('with the certificate stored in Key Vault as %s', (format) => {
  beforeEach(() => {
    vault.setCertificateSecret(CERT_NAME, pki.client, format);
  });

  it('upserts over mutual TLS; the same idempotency key never makes a second version', async () => {
    const { adapter: a } = adapter();
    const first = await a.upsertTicket(ticket(), `${EXAMPLE_TICKET_ID}:1`);
    expect(first).toEqual({ mobilityRef: expect.stringMatching(/^MOB-\d+$/), version: 1 });
    expect(await a.upsertTicket(ticket(), `${EXAMPLE_TICKET_ID}:1`)).toEqual(first);
    const moved = { ...ticket(), window: { start: '2027-03-02T22:00:00Z', end: '2027-03-03T05:00:00Z' } };
    expect(await a.upsertTicket(moved, `${EXAMPLE_TICKET_ID}:2`)).toEqual({ mobilityRef: first.mobilityRef, version: 2 });
    const requests = sim.requests();
    expect(requests.map((r) => [r.idempotencyKey, r.status, r.replayed])).toEqual([
      [`${EXAMPLE_TICKET_ID}:1`, 201, false],
      [`${EXAMPLE_TICKET_ID}:1`, 201, true],
      [`${EXAMPLE_TICKET_ID}:2`, 200, false],
    ]);
    expect(requests[0]?.clientSubject).toBe(pki.client.subject);
    expect(sim.ticket(EXAMPLE_TICKET_ID)).toMatchObject({ version: 2, window: moved.window });
  });
});

describe('with the valid certificate', () => {
  beforeEach(() => {
    vault.setCertificateSecret(CERT_NAME, pki.client, 'pfx');
  });

  it('reads Key Vault once and keeps the certificate in memory', async () => {
    const { adapter: a, certificates } = adapter();
    await a.upsertTicket(ticket(), 'k1');
    await a.upsertTicket(ticket(), 'k1');
    expect((await a.health()).ok).toBe(true);
    expect(certificates.reads).toBe(1);
  });

  it('cancels a ticket, and answers found: false for a ticket the app never had', async () => {
    const { adapter: a } = adapter();
    const { mobilityRef } = await a.upsertTicket(ticket(), 'k1');
    expect(await a.cancelTicket(EXAMPLE_TICKET_ID, 'Booking cancelled', `${EXAMPLE_TICKET_ID}:2:cancel`)).toEqual({ found: true, mobilityRef, version: 2 });
    expect(sim.ticket(EXAMPLE_TICKET_ID)).toMatchObject({ status: 'Cancelled', cancellationReason: 'Booking cancelled' });
    expect(await a.cancelTicket('6f0c8a52-0000-4000-8000-00000000dead', 'Booking deleted', 'x:cancel')).toEqual({ found: false, mobilityRef: null, version: null });
  });

  it('a 503 is a retryable MobilityError carrying Retry-After', async () => {
    const { adapter: a } = adapter();
    sim.setFault({ mode: 'fail', status: 503, retryAfterSeconds: 30 });
    const e = (await a.upsertTicket(ticket(), 'k1').catch((x: unknown) => x)) as MobilityError;
    expect(e).toBeInstanceOf(MobilityError);
    expect(e).toMatchObject({ kind: 'http', status: 503, retryable: true, retryAfterSeconds: 30 });
    expect((await a.health()).ok).toBe(false);
  });

  it('a 400 is not retryable and names what is wrong', async () => {
    const { adapter: a } = adapter();
    const bad = { ...ticket(), window: { start: '2027-03-02T05:00:00Z', end: '2027-03-01T22:00:00Z' } };
    const e = (await a.upsertTicket(bad, 'k1').catch((x: unknown) => x)) as MobilityError;
    expect(e).toMatchObject({ kind: 'http', status: 400, retryable: false, code: 'https://mobility.example.com/problems/validation-error' });
    expect(e.message).toMatch(/^PUT ticket .* failed: HTTP 400 — The request body is not valid: window\.end/);
  });

  it('the same key with another body is a 409 that is not retried (idempotencyKeyReused)', async () => {
    const { adapter: a } = adapter();
    await a.upsertTicket(ticket(), 'k1');
    const e = (await a.upsertTicket({ ...ticket(), plannedEffortHours: 1 }, 'k1').catch((x: unknown) => x)) as MobilityError;
    expect(e).toMatchObject({ status: 409, idempotencyKeyReused: true, retryable: false });
  });

  it('times out a request the app never answers, retryably', async () => {
    const { adapter: a } = adapter({ timeoutMs: 300 });
    sim.setFault({ mode: 'hang' });
    const started = Date.now();
    const e = (await a.upsertTicket(ticket(), 'k1').catch((x: unknown) => x)) as MobilityError;
    expect(e).toMatchObject({ kind: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("refuses a server whose certificate does not chain to MOBILITY_CA_PEM, without blaming (or re-reading) the client certificate", async () => {
    // PEM: a PFX that carries its issuing CA adds that CA to what the client trusts (Node loads a PFX's CA
    // certificates into the context's store), and here the server's CA is the client certificate's.
    vault.setCertificateSecret(CERT_NAME, pki.client, 'pem');
    const { adapter: a, certificates } = adapter({ caPem: pki.intruderCa.certPem });
    const e = (await a.upsertTicket(ticket(), 'k1').catch((x: unknown) => x)) as MobilityError;
    expect(e).toMatchObject({ kind: 'tls', retryable: true, clientCertificateSuspect: false });
    expect(certificates.reads).toBe(1);
    expect(sim.requests()).toHaveLength(0);
  });
});

describe('certificate refused, and rotation', () => {
  it('an intruder certificate is refused in the TLS handshake: retryable TLS failure, no key material in the error', async () => {
    vault.setCertificateSecret(CERT_NAME, pki.intruder, 'pem');
    const { adapter: a, certificates } = adapter();
    const e = (await a.upsertTicket(ticket(), 'k1').catch((x: unknown) => x)) as MobilityError;
    expect(e).toBeInstanceOf(MobilityError);
    expect(e).toMatchObject({ kind: 'tls', retryable: true, clientCertificateSuspect: true });
    expectNoKeyMaterial(`${e.message} ${e.stack ?? ''} ${JSON.stringify(e)}`);
    // Invalidated and read again; Key Vault still held the same certificate, so no second attempt.
    expect(certificates.reads).toBe(2);
    expect(sim.requests()).toHaveLength(0);
    expect(sim.handshakeFailures().length).toBeGreaterThanOrEqual(1);
    expect(sim.tickets()).toHaveLength(0);
  });

  it('an expired certificate is refused the same way', async () => {
    vault.setCertificateSecret(CERT_NAME, pki.expiredClient, 'pfx');
    const { adapter: a } = adapter();
    await expect(a.upsertTicket(ticket(), 'k1')).rejects.toMatchObject({ kind: 'tls', retryable: true });
  });

  it('after rotation in Key Vault, the next attempt invalidates the cached certificate, re-reads it and succeeds', async () => {
    vault.setCertificateSecret(CERT_NAME, pki.intruder, 'pfx');
    const { adapter: a, certificates } = adapter();
    await expect(a.upsertTicket(ticket(), 'k1')).rejects.toMatchObject({ kind: 'tls' });
    const rotated = pki.ca.issueClient();
    vault.setCertificateSecret(CERT_NAME, rotated, 'pfx');
    // The adapter still holds the intruder in memory: the first try fails, the re-read finds the new one, the retry works.
    expect(await a.upsertTicket(ticket(), 'k1')).toMatchObject({ version: 1 });
    expect(certificates.reads).toBe(3);
    expect(sim.requests().map((r) => r.clientSubject)).toEqual([rotated.subject]);
    expect(sim.requests()[0]?.clientFingerprint256).toBe(rotated.fingerprint256);
    // …and keeps using it.
    await a.upsertTicket(ticket(), 'k1');
    expect(certificates.reads).toBe(3);
  });

  it('an unreadable secret is a retryable certificate failure that names the secret, never its value', async () => {
    vault.setSecret(CERT_NAME, Buffer.from('not a pfx').toString('base64'), 'application/x-pkcs12');
    const { adapter: a } = adapter();
    const e = (await a.upsertTicket(ticket(), 'k1').catch((x: unknown) => x)) as MobilityError;
    expect(e).toMatchObject({ kind: 'certificate', retryable: true });
    expect(e.message).toMatch(/read client certificate 'mobility-client' failed: Node cannot use the certificate/);
  });

  it('a missing certificate in Key Vault is a retryable certificate failure', async () => {
    const certificates = KeyVaultCertificateProvider.forVault(vault.url, 'no-such-certificate', vault.credential(), { clientOptions: vault.clientOptions() });
    const e = (await certificates.getCredentials().catch((x: unknown) => x)) as MobilityError;
    expect(e).toMatchObject({ kind: 'certificate', retryable: true });
    expect(e.message).toMatch(/HTTP 404/);
  });
});

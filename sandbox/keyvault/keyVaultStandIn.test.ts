/**
 * The real SecretClient (@azure/keyvault-secrets 4.11) against the stand-in: the bearer challenge, certificate
 * secrets as PFX and PEM that Node's tls accepts, rotation, and the service's error shapes.
 */
import tls from 'node:tls';
import { SecretClient } from '@azure/keyvault-secrets';
import { Agent, request } from 'undici';
import { exampleTicket, startMobilitySimulator } from '../mobility';
import { createTestPki, type TestPki } from '../pki';
import { PEM_CONTENT_TYPE, PKCS12_CONTENT_TYPE, startKeyVault, TEST_TENANT_ID, type KeyVaultStandIn } from './index';

let pki: TestPki;
let kv: KeyVaultStandIn;

beforeAll(() => {
  pki = createTestPki({ validDays: 1 });
});

beforeEach(async () => {
  kv = await startKeyVault({ pki });
});

afterEach(async () => {
  await kv.close();
});

function client(): { secrets: SecretClient; credential: ReturnType<KeyVaultStandIn['credential']> } {
  const credential = kv.credential();
  // The SDK's Node HTTP client uses the pipeline's `agent` option as is: an https.Agent trusting the test CA.
  return { secrets: new SecretClient(kv.url, credential, kv.clientOptions()), credential };
}

describe('SecretClient against the stand-in vault', () => {
  it('answers the bearer challenge: the SDK asks for a vault token for the challenge’s tenant, then reads', async () => {
    kv.setSecret('mobility-base-url', 'https://mobility.example.com', 'text/plain');
    const { secrets, credential } = client();
    const secret = await secrets.getSecret('mobility-base-url');
    expect(secret.value).toBe('https://mobility.example.com');
    expect(secret.name).toBe('mobility-base-url');
    expect(secret.properties.contentType).toBe('text/plain');
    expect(secret.properties.vaultUrl).toBe(kv.url);
    expect(secret.properties.enabled).toBe(true);
    expect(secret.properties.createdOn).toBeInstanceOf(Date);
    expect(secret.properties.recoveryLevel).toBe('Recoverable+Purgeable');

    expect(credential.calls).toEqual([{ scopes: ['https://vault.azure.net/.default'], tenantId: TEST_TENANT_ID }]);
    const seen = kv.requests();
    expect(seen.map((r) => [r.method, r.path, r.authorized, r.status])).toEqual([
      ['GET', '/secrets/mobility-base-url/', false, 401],
      ['GET', '/secrets/mobility-base-url/', true, 200],
    ]);
    expect(seen[1]?.apiVersion).toMatch(/^\d{4}-\d{2}-\d{2}/);

    // The challenge is answered once per client; later calls go straight through with the token.
    await secrets.getSecret('mobility-base-url');
    expect(kv.requests().slice(2).map((r) => r.status)).toEqual([200]);
  });

  it('returns a certificate’s secret as a base64 PFX Node’s tls accepts, with Key Vault’s certificate fields', async () => {
    kv.setCertificateSecret('mobility-client', pki.client, 'pfx');
    const { secrets } = client();
    const secret = await secrets.getSecret('mobility-client');
    expect(secret.properties.contentType).toBe(PKCS12_CONTENT_TYPE);
    expect(secret.properties.managed).toBe(true);
    expect(secret.properties.certificateKeyId).toBe(`${kv.url}/keys/mobility-client/${secret.properties.version}`);
    expect(secret.properties.expiresOn?.getTime()).toBe(Math.floor(pki.client.notAfter.getTime() / 1000) * 1000);

    const pfx = Buffer.from(secret.value ?? '', 'base64');
    expect(() => tls.createSecureContext({ pfx })).not.toThrow();
    expect(pfx.equals(pki.client.pfxWithoutPassword)).toBe(true);
  });

  it('returns a PEM certificate secret: the private key, then the certificate chain', async () => {
    kv.setCertificateSecret('mobility-client', pki.client, 'pem');
    const { secrets } = client();
    const secret = await secrets.getSecret('mobility-client');
    expect(secret.properties.contentType).toBe(PEM_CONTENT_TYPE);
    const value = secret.value ?? '';
    expect(value.indexOf('-----BEGIN PRIVATE KEY-----')).toBe(0);
    expect(value.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);
    expect(value).toContain(pki.client.certPem.trim());
    expect(() => tls.createSecureContext({ key: value, cert: value })).not.toThrow();

    // The service converts only PFX to PEM.
    await expect(secrets.getSecret('mobility-client', { outContentType: PKCS12_CONTENT_TYPE })).rejects.toMatchObject({ statusCode: 400, code: 'BadParameter' });
  });

  it('converts a PFX certificate’s secret to PEM when asked (outContentType), as the service does', async () => {
    kv.setCertificateSecret('mobility-client', pki.client, 'pfx');
    const { secrets } = client();
    const asPem = await secrets.getSecret('mobility-client', { outContentType: PEM_CONTENT_TYPE });
    expect(asPem.properties.contentType).toBe(PEM_CONTENT_TYPE);
    const value = asPem.value ?? '';
    expect(value.indexOf('-----BEGIN PRIVATE KEY-----')).toBe(0);
    expect(() => tls.createSecureContext({ key: value, cert: value })).not.toThrow();
  });

  it('serves the new version after a rotation, and still the old one by its version', async () => {
    const first = kv.setCertificateSecret('mobility-client', pki.client, 'pfx');
    const { secrets } = client();
    const before = await secrets.getSecret('mobility-client');
    expect(before.properties.version).toBe(first.version);

    const renewed = pki.ca.issueClient();
    const second = kv.setCertificateSecret('mobility-client', renewed, 'pfx');
    expect(second.version).not.toBe(first.version);
    const after = await secrets.getSecret('mobility-client');
    expect(after.properties.version).toBe(second.version);
    expect(Buffer.from(after.value ?? '', 'base64').equals(renewed.pfxWithoutPassword)).toBe(true);

    const old = await secrets.getSecret('mobility-client', { version: first.version });
    expect(Buffer.from(old.value ?? '', 'base64').equals(pki.client.pfxWithoutPassword)).toBe(true);
    expect(kv.versions('mobility-client').map((v) => v.version)).toEqual([first.version, second.version]);
  });

  it('writes with setSecret: each write is a new version', async () => {
    const { secrets } = client();
    const a = await secrets.setSecret('webhook-secret', 'whsec_one', { contentType: 'text/plain', tags: { purpose: 'test' } });
    const b = await secrets.setSecret('webhook-secret', 'whsec_two');
    expect(a.properties.version).not.toBe(b.properties.version);
    expect(a.properties.tags).toEqual({ purpose: 'test' });
    expect((await secrets.getSecret('webhook-secret')).value).toBe('whsec_two');
    expect((await secrets.getSecret('webhook-secret', { version: a.properties.version ?? '' })).value).toBe('whsec_one');
  });

  it('answers a missing secret with 404 SecretNotFound and a disabled one with 403, as the service does', async () => {
    const { secrets } = client();
    await expect(secrets.getSecret('nope')).rejects.toMatchObject({ statusCode: 404, code: 'SecretNotFound' });
    kv.setCertificateSecret('mobility-client', pki.client, 'pfx');
    kv.setSecretEnabled('mobility-client', false);
    await expect(secrets.getSecret('mobility-client')).rejects.toMatchObject({ statusCode: 403, code: 'Forbidden' });
  });

  it('refuses a token it does not accept, and a client that does not trust the test CA', async () => {
    const strict = await startKeyVault({ pki, acceptToken: (t) => t === 'the-right-token' });
    try {
      strict.setSecret('s', 'v');
      const wrong = new SecretClient(strict.url, strict.credential(), strict.clientOptions());
      await expect(wrong.getSecret('s')).rejects.toMatchObject({ statusCode: 401 });
    } finally {
      await strict.close();
    }
    kv.setSecret('s', 'v');
    const untrusting = new SecretClient(kv.url, kv.credential(), { disableChallengeResourceVerification: true, retryOptions: { maxRetries: 0 } });
    await expect(untrusting.getSecret('s')).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('needs disableChallengeResourceVerification on 127.0.0.1: the SDK otherwise refuses the challenge', async () => {
    kv.setSecret('s', 'v');
    const { agent } = kv.clientOptions();
    const verifying = new SecretClient(kv.url, kv.credential(), { agent });
    await expect(verifying.getSecret('s')).rejects.toThrow(/does not match the requested domain/);
  });
});

describe('the whole local chain', () => {
  it('a client certificate read from the vault authenticates to the mobility simulator; after rotation the new one does', async () => {
    const sim = await startMobilitySimulator({ pki });
    const { secrets } = client();
    const sendWith = async (): Promise<string | null> => {
      const secret = await secrets.getSecret('mobility-client');
      const agent = new Agent({ connect: { ca: pki.ca.certPem, pfx: Buffer.from(secret.value ?? '', 'base64') } });
      try {
        const res = await request(`${sim.url}/v1/tickets/${exampleTicket().ticketId}`, {
          method: 'PUT',
          dispatcher: agent,
          headers: { 'content-type': 'application/json', 'idempotency-key': secret.properties.version ?? '' },
          body: JSON.stringify(exampleTicket()),
        });
        await res.body.text();
        return sim.requests().at(-1)?.clientFingerprint256 ?? null;
      } finally {
        await agent.destroy();
      }
    };
    try {
      kv.setCertificateSecret('mobility-client', pki.client, 'pfx');
      expect(await sendWith()).toBe(pki.client.fingerprint256);
      const renewed = pki.ca.issueClient();
      kv.setCertificateSecret('mobility-client', renewed, 'pfx');
      expect(await sendWith()).toBe(renewed.fingerprint256);
      expect(sim.ticket(exampleTicket().ticketId)?.version).toBe(1);
    } finally {
      await sim.close();
    }
  });
});

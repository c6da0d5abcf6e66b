/**
 * Key Vault secret → TLS client credentials, and the provider's caching, with real certificates from the test PKI.
 * (The end-to-end path through the real SecretClient is in httpsMobilityAdapter.test.ts.)
 */
import { X509Certificate } from 'node:crypto';
import { createTestPki, type TestPki } from '@pfb/sandbox/pki';
import { decodeCertificateSecret, PEM_CONTENT_TYPE, PKCS12_CONTENT_TYPE } from './certificateSecret';
import { KeyVaultCertificateProvider, type SecretReader } from './keyVaultCertificateProvider';
import { MobilityError } from './mobilityError';

let pki: TestPki;
beforeAll(() => {
  pki = createTestPki({ validDays: 1 });
});

const NAME = 'mobility-client';

function failure(run: () => unknown): MobilityError {
  try {
    run();
  } catch (e) {
    if (e instanceof MobilityError) return e;
    throw e;
  }
  throw new Error('expected a MobilityError');
}

function expectNoKeyMaterial(e: MobilityError): void {
  const text = `${e.message} ${JSON.stringify(e)}`;
  expect(text).not.toMatch(/-----BEGIN|PRIVATE KEY|[A-Za-z0-9+/]{64,}/);
}

describe('decodeCertificateSecret', () => {
  it('decodes a base64 PFX (application/x-pkcs12) into a Buffer', () => {
    const pfx = pki.client.pfxWithoutPassword;
    const credentials = decodeCertificateSecret(NAME, pfx.toString('base64'), PKCS12_CONTENT_TYPE);
    expect(credentials.pfx?.equals(pfx)).toBe(true);
    expect(credentials.cert).toBeUndefined();
  });

  it('splits a PEM (application/x-pem-file) into the private key and the chain, leaf first', () => {
    const pem = `${pki.client.keyPem}\n${pki.client.chainPem}`;
    const credentials = decodeCertificateSecret(NAME, pem, PEM_CONTENT_TYPE);
    expect(credentials.key?.trim()).toBe(pki.client.keyPem.trim());
    const certs = credentials.cert?.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    expect(certs.map((c) => new X509Certificate(c).fingerprint256)).toEqual([pki.client.fingerprint256, pki.ca.fingerprint256]);
  });

  it('puts the certificate that matches the key first, whatever the order stored', () => {
    const pem = `${pki.ca.certPem}\n${pki.client.certPem}\n${pki.client.keyPem}`;
    const credentials = decodeCertificateSecret(NAME, pem, PEM_CONTENT_TYPE);
    expect(new X509Certificate(credentials.cert ?? '').fingerprint256).toBe(pki.client.fingerprint256);
  });

  it('recognises the format when the secret has no content type', () => {
    expect(decodeCertificateSecret(NAME, `${pki.client.keyPem}${pki.client.certPem}`, undefined).key).toBeDefined();
    expect(decodeCertificateSecret(NAME, pki.client.pfxWithoutPassword.toString('base64'), undefined).pfx).toBeDefined();
  });

  it('uses a passphrase when one is configured, and says so when it is missing', () => {
    const b64 = pki.client.pfx.toString('base64');
    expect(decodeCertificateSecret(NAME, b64, PKCS12_CONTENT_TYPE, pki.client.pfxPassphrase).passphrase).toBe(pki.client.pfxPassphrase);
    const e = failure(() => decodeCertificateSecret(NAME, b64, PKCS12_CONTENT_TYPE));
    expect(e.message).toMatch(/^read client certificate 'mobility-client' failed: Node cannot use the certificate \(.*\) — the PFX needs a different passphrase$/);
  });

  it.each([
    ['no value', undefined, PEM_CONTENT_TYPE, /has no value/],
    ['a PEM without a key', () => pki.client.chainPem, PEM_CONTENT_TYPE, /holds 0 private keys/],
    ['a PEM without a certificate', () => pki.client.keyPem, PEM_CONTENT_TYPE, /holds no certificate/],
    ['a key that is not the certificate’s', () => `${pki.intruder.keyPem}${pki.client.certPem}`, PEM_CONTENT_TYPE, /Node cannot use the certificate/],
    ['a PFX that is not base64', () => '%%%', PKCS12_CONTENT_TYPE, /not base64/],
    ['an unknown content type', () => 'x', 'text/plain', /neither application\/x-pkcs12 nor application\/x-pem-file/],
  ])('refuses %s with a retryable certificate error naming the secret and no key material', (_, value, contentType, pattern) => {
    const v = typeof value === 'function' ? value() : value;
    const e = failure(() => decodeCertificateSecret(NAME, v, contentType));
    expect(e).toMatchObject({ kind: 'certificate', retryable: true });
    expect(e.message).toMatch(/^read client certificate 'mobility-client' failed: /);
    expect(e.message).toMatch(pattern);
    expectNoKeyMaterial(e);
  });
});

describe('KeyVaultCertificateProvider', () => {
  function vault(): SecretReader & { reads: number; value: string } {
    const state = {
      reads: 0,
      value: `${pki.client.keyPem}${pki.client.certPem}`,
      getSecret: async (name: string) => {
        state.reads += 1;
        await new Promise((r) => setTimeout(r, 5));
        if (name !== NAME) throw Object.assign(new Error(`A secret with (name/id) ${name} was not found in this key vault.`), { statusCode: 404, code: 'SecretNotFound' });
        return { value: state.value, properties: { contentType: PEM_CONTENT_TYPE, version: String(state.reads) } };
      },
    };
    return state;
  }

  it('reads once for concurrent callers and keeps the result', async () => {
    const kv = vault();
    const provider = new KeyVaultCertificateProvider({ secretName: NAME, client: kv });
    const [a, b] = await Promise.all([provider.getCredentials(), provider.getCredentials()]);
    expect(a).toBe(b);
    expect(await provider.getCredentials()).toBe(a);
    expect(kv.reads).toBe(1);
  });

  it('invalidate(stale) re-reads only when the cache still holds the stale credentials', async () => {
    const kv = vault();
    const provider = new KeyVaultCertificateProvider({ secretName: NAME, client: kv });
    const first = await provider.getCredentials();
    provider.invalidate(first);
    kv.value = `${pki.intruder.keyPem}${pki.intruder.certPem}`;
    const second = await provider.getCredentials();
    expect(second.cert).toContain(pki.intruder.certPem.trim().split('\n')[1]);
    // A second caller that also failed with `first` must not throw `second` away.
    provider.invalidate(first);
    expect(await provider.getCredentials()).toBe(second);
    expect(kv.reads).toBe(2);
  });

  it('re-reads after maxAgeMs, so a renewed certificate is picked up before the old one expires', async () => {
    const kv = vault();
    let now = 0;
    const provider = new KeyVaultCertificateProvider({ secretName: NAME, client: kv, maxAgeMs: 1000, now: () => now });
    await provider.getCredentials();
    now = 999;
    await provider.getCredentials();
    now = 1000;
    await provider.getCredentials();
    expect(kv.reads).toBe(2);
  });

  it('logs what was read (version, subject, expiry) but never the key, and warns about an expired certificate', async () => {
    const kv = vault();
    kv.value = `${pki.expiredClient.keyPem}${pki.expiredClient.certPem}`;
    const lines: string[] = [];
    const provider = new KeyVaultCertificateProvider({ secretName: NAME, client: kv, log: (level, message, props) => lines.push(`${level} ${message} ${JSON.stringify(props)}`) });
    await provider.getCredentials();
    expect(lines[0]).toMatch(/^info Mobility client certificate 'mobility-client' read from Key Vault .*"subject":"O=Project Field Bridge \(test\), CN=field-bridge"/);
    expect(lines[1]).toMatch(/^warn .* expired on/);
    expect(lines.join('\n')).not.toMatch(/PRIVATE KEY|-----BEGIN/);
  });

  it('turns a Key Vault failure into a retryable certificate error', async () => {
    const provider = new KeyVaultCertificateProvider({ secretName: 'other', client: vault() });
    await expect(provider.getCredentials()).rejects.toMatchObject({ kind: 'certificate', retryable: true, message: expect.stringMatching(/HTTP 404: A secret with \(name\/id\) other was not found/) });
  });
});

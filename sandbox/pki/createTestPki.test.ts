import { X509Certificate, createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import util from 'node:util';
import { createTestPki, loadOrCreateTestPki, loadTestPki, PKI_FILE_NAMES, TEST_PFX_PASSPHRASE, type TestPki } from './index';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

let pki: TestPki;
beforeAll(() => {
  pki = createTestPki({ validDays: 2 });
});

type ClientTls = Pick<tls.ConnectionOptions, 'cert' | 'key' | 'pfx' | 'passphrase'>;

/** A real handshake on 127.0.0.1 against a server that requires a client certificate from the test CA. */
/**
 * Under TLS 1.3 the server judges the client certificate after the client's side of the handshake is done: the
 * client then gets the server's alert as an error, or (a race) just a closed connection without a byte.
 */
async function handshake(client: ClientTls): Promise<{ ok: true; peer: string } | { ok: false; code: string }> {
  const server = tls.createServer({ cert: pki.server.certPem, key: pki.server.keyPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true }, (socket) => {
    socket.end(`hello ${socket.getPeerCertificate().subject.CN}`);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  try {
    return await new Promise((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port, ca: pki.ca.certPem, ...client }, () => undefined);
      let data = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (data += chunk));
      socket.on('end', () => resolve(data ? { ok: true, peer: data } : { ok: false, code: 'CLOSED_WITHOUT_ANSWER' }));
      socket.on('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, code: e.code ?? e.message }));
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('createTestPki', () => {
  it('gives certificates and keys Node’s tls can load, as PEM and as PKCS#12 with and without a password', () => {
    for (const c of [pki.server, pki.client, pki.intruder, pki.expiredClient]) {
      expect(() => tls.createSecureContext({ cert: c.certPem, key: c.keyPem, ca: pki.ca.certPem })).not.toThrow();
    }
    expect(() => tls.createSecureContext({ pfx: pki.client.pfx, passphrase: TEST_PFX_PASSPHRASE })).not.toThrow();
    expect(() => tls.createSecureContext({ pfx: pki.client.pfxWithoutPassword })).not.toThrow();
    // The protected one really is protected.
    expect(() => tls.createSecureContext({ pfx: pki.client.pfx })).toThrow(/mac verify failure/);
  });

  it('makes a CA, a server certificate for 127.0.0.1 and localhost, and client certificates for clientAuth', () => {
    const ca = new X509Certificate(pki.ca.certPem);
    expect(ca.ca).toBe(true);
    const server = new X509Certificate(pki.server.certPem);
    expect(server.ca).toBe(false);
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.keyUsage).toContain(SERVER_AUTH);
    expect(tls.checkServerIdentity('localhost', { subject: { CN: 'localhost' }, subjectaltname: server.subjectAltName } as tls.PeerCertificate)).toBeUndefined();

    const client = new X509Certificate(pki.client.certPem);
    expect(client.subject).toContain('CN=field-bridge');
    expect(client.keyUsage).toEqual([CLIENT_AUTH]);
    expect(client.checkPrivateKey(createPrivateKey(pki.client.keyPem))).toBe(true);
    expect(pki.client.subject).toBe('O=Project Field Bridge (test), CN=field-bridge');
    expect(pki.client.notAfter.getTime()).toBeGreaterThan(Date.now() + 24 * 3600_000);
    expect(pki.expiredClient.notAfter.getTime()).toBeLessThan(Date.now());
  });

  it('signs the client certificate with the CA, and the intruder with another CA of the same shape', () => {
    const ca = new X509Certificate(pki.ca.certPem);
    const client = new X509Certificate(pki.client.certPem);
    const intruder = new X509Certificate(pki.intruder.certPem);
    expect(client.verify(ca.publicKey)).toBe(true);
    expect(client.checkIssued(ca)).toBe(true);
    expect(intruder.subject).toBe(client.subject);
    expect(intruder.verify(ca.publicKey)).toBe(false);
    expect(intruder.checkIssued(ca)).toBe(false);
    expect(intruder.verify(new X509Certificate(pki.intruderCa.certPem).publicKey)).toBe(true);
    expect(new X509Certificate(pki.server.certPem).verify(ca.publicKey)).toBe(true);
  });

  it('passes a real mutual-TLS handshake with the client certificate, and fails it with the intruder or the expired one', async () => {
    await expect(handshake({ cert: pki.client.certPem, key: pki.client.keyPem })).resolves.toEqual({ ok: true, peer: 'hello field-bridge' });
    await expect(handshake({ pfx: pki.client.pfxWithoutPassword })).resolves.toEqual({ ok: true, peer: 'hello field-bridge' });
    await expect(handshake({ pfx: pki.client.pfx, passphrase: TEST_PFX_PASSPHRASE })).resolves.toEqual({ ok: true, peer: 'hello field-bridge' });
    const refused = (alert: string) => ({ ok: false, code: expect.stringMatching(new RegExp(`^(${alert}|CLOSED_WITHOUT_ANSWER|ECONNRESET)$`)) });
    await expect(handshake({ cert: pki.intruder.certPem, key: pki.intruder.keyPem })).resolves.toEqual(refused('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'));
    await expect(handshake({ cert: pki.expiredClient.certPem, key: pki.expiredClient.keyPem })).resolves.toEqual(refused('ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED'));
    await expect(handshake({})).resolves.toEqual(refused('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'));
  });

  it('issues further client certificates from the same CA (rotation)', () => {
    const next = pki.ca.issueClient();
    expect(next.fingerprint256).not.toBe(pki.client.fingerprint256);
    expect(new X509Certificate(next.certPem).verify(new X509Certificate(pki.ca.certPem).publicKey)).toBe(true);
    const other = pki.ca.issueClient({ commonName: 'field-bridge-2' });
    expect(other.subject).toContain('CN=field-bridge-2');
  });

  it('never shows a private key or PFX when printed, serialised or diffed', () => {
    for (const text of [JSON.stringify(pki), util.inspect(pki, { depth: 5 }), JSON.stringify({ ...pki.client })]) {
      expect(text).not.toContain('PRIVATE KEY');
      expect(text).not.toContain(pki.client.pfxWithoutPassword.toString('base64').slice(0, 40));
    }
    expect(pki.client.keyPem).toContain('-----BEGIN PRIVATE KEY-----');
  });
});

describe('writeTo / loadTestPki', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pfb-pki-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses folders of the repository other than .sandbox', () => {
    const inRepo = path.resolve(__dirname, 'out');
    expect(() => pki.writeTo(inRepo)).toThrow(/Refusing to write private keys/);
    expect(fs.existsSync(inRepo)).toBe(false);
    expect(() => pki.writeTo(path.resolve(__dirname, '..', '..'))).toThrow(/Refusing/);
  });

  it('writes keys with mode 0600 and reads the same PKI back', () => {
    const files = pki.writeTo(dir);
    expect(fs.readFileSync(files.caCert, 'utf8')).toBe(pki.ca.certPem);
    expect(fs.statSync(files.clientKey).mode & 0o777).toBe(0o600);
    expect(fs.statSync(files.clientPfxWithoutPassword).mode & 0o777).toBe(0o600);
    expect(Object.keys(files).sort()).toEqual(['dir', ...Object.keys(PKI_FILE_NAMES)].sort());

    const loaded = loadTestPki(dir);
    expect(loaded.client.fingerprint256).toBe(pki.client.fingerprint256);
    expect(loaded.server.fingerprint256).toBe(pki.server.fingerprint256);
    expect(loaded.intruder.fingerprint256).toBe(pki.intruder.fingerprint256);
    expect(() => tls.createSecureContext({ pfx: loaded.client.pfxWithoutPassword })).not.toThrow();
    expect(() => tls.createSecureContext({ pfx: fs.readFileSync(files.clientPfx), passphrase: TEST_PFX_PASSPHRASE })).not.toThrow();
  });

  it('loadOrCreateTestPki creates once, then reuses the folder', () => {
    const first = loadOrCreateTestPki(dir, { validDays: 3 });
    expect(first.created).toBe(true);
    const second = loadOrCreateTestPki(dir, { validDays: 3 });
    expect(second.created).toBe(false);
    expect(second.pki.ca.fingerprint256).toBe(first.pki.ca.fingerprint256);
    fs.rmSync(path.join(dir, PKI_FILE_NAMES.serverKey));
    expect(() => loadTestPki(dir)).toThrow(/incomplete: cannot read server-key.pem/);
    expect(loadOrCreateTestPki(dir).created).toBe(true);
  });
});

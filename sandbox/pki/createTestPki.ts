/**
 * A throw-away public key infrastructure for mutual TLS on 127.0.0.1: a root CA, a server certificate for
 * 127.0.0.1/localhost, the bridge's client certificate, an "intruder" client certificate with the same name from a
 * different CA (a server must refuse it), and an expired client certificate. Everything lives in memory; `writeTo`
 * exists for the sandbox's git-ignored `.sandbox/` folder so that another process can use the same PKI.
 */
import { issueCertificate, TestCertificate, type CertificateAndKey } from './issueCertificate';
import { toPfx } from './pkcs12';
import { writeTestPki, type PkiFiles } from './writeTestPki';

export interface ClientCertificateOptions {
  /** Default `field-bridge`. */
  readonly commonName?: string;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

export interface TestPki {
  /** The root CA both ends trust: the server verifies client certificates with it, clients the server's. */
  readonly ca: TestCa;
  /** For 127.0.0.1 and localhost (subjectAltName IP 127.0.0.1, DNS localhost), signed by `ca`. */
  readonly server: TestCertificate;
  /** CN=field-bridge, extendedKeyUsage clientAuth, signed by `ca`. */
  readonly client: TestClientCertificate;
  /** A different root CA, trusted by nobody. */
  readonly intruderCa: TestCa;
  /** CN=field-bridge too, but signed by `intruderCa`: must be refused. */
  readonly intruder: TestClientCertificate;
  /** Signed by `ca`, but its validity ended yesterday: must be refused. */
  readonly expiredClient: TestClientCertificate;
  /**
   * Writes every certificate and key as files (keys mode 0600) for another process: only into a `.sandbox` folder
   * of the repository or outside it (e.g. a temp folder) — never into tracked source folders.
   */
  writeTo(dir: string): PkiFiles;
}

export interface TestPkiOptions {
  /** Default 30. The certificates are valid from an hour ago (clock skew) to this many days ahead. */
  readonly validDays?: number;
}

export const TEST_ORGANIZATION = 'Project Field Bridge (test)';
export const CLIENT_COMMON_NAME = 'field-bridge';
/** The passphrase of every `pfx` (test material; Key Vault's own PFX has none: see `pfxWithoutPassword`). */
export const TEST_PFX_PASSPHRASE = 'field-bridge-test';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A client certificate with its chain and PKCS#12 forms (built on first use: each takes tens of ms). */
export class TestClientCertificate extends TestCertificate {
  /** Leaf then issuing CA, PEM: what a client sends. */
  readonly chainPem: string;
  readonly pfxPassphrase = TEST_PFX_PASSPHRASE;
  readonly #caPem: string;
  #pfx: Buffer | undefined;
  #pfxWithoutPassword: Buffer | undefined;

  constructor(leaf: CertificateAndKey, ca: { readonly certPem: string }) {
    super(leaf.certPem, leaf.keyPem);
    this.#caPem = ca.certPem;
    this.chainPem = `${leaf.certPem.trimEnd()}\n${ca.certPem.trimEnd()}\n`;
  }

  /** PKCS#12: leaf, key and issuing CA, protected by `pfxPassphrase` (3DES key bag, SHA-1 MAC; OpenSSL 3 reads it). */
  get pfx(): Buffer {
    this.#pfx ??= toPfx(this, [this.#caPem], this.pfxPassphrase);
    return this.#pfx;
  }

  /** The same with an empty password, as Key Vault hands out a PFX certificate's secret: `tls` needs no passphrase. */
  get pfxWithoutPassword(): Buffer {
    this.#pfxWithoutPassword ??= toPfx(this, [this.#caPem], '');
    return this.#pfxWithoutPassword;
  }
}

/** A root CA that can issue more client certificates (rotation tests). */
export class TestCa extends TestCertificate {
  constructor(
    ca: CertificateAndKey,
    private readonly defaultValidDays: number,
  ) {
    super(ca.certPem, ca.keyPem);
  }

  /** Another client certificate signed by this CA, valid from an hour ago for the PKI's validDays by default. */
  issueClient(options: ClientCertificateOptions = {}): TestClientCertificate {
    const now = Date.now();
    const leaf = issueCertificate({
      commonName: options.commonName ?? CLIENT_COMMON_NAME,
      organization: TEST_ORGANIZATION,
      profile: 'client',
      issuer: this,
      notBefore: options.notBefore ?? new Date(now - HOUR_MS),
      notAfter: options.notAfter ?? new Date(now + this.defaultValidDays * DAY_MS),
    });
    return new TestClientCertificate(leaf, this);
  }
}

/** Assembles a TestPki from its parts (also used when reading one back from files). */
export function assembleTestPki(parts: Omit<TestPki, 'writeTo'>): TestPki {
  const pki: TestPki = {
    ...parts,
    writeTo: (dir: string) => writeTestPki(pki, dir),
  };
  return pki;
}

export function createTestPki(options: TestPkiOptions = {}): TestPki {
  const validDays = options.validDays ?? 30;
  if (!(validDays > 0)) throw new RangeError(`createTestPki: validDays must be more than 0, not ${validDays}`);
  const now = Date.now();
  const notBefore = new Date(now - HOUR_MS);
  const notAfter = new Date(now + validDays * DAY_MS);

  const caCert = issueCertificate({ commonName: 'Field Bridge Test Root CA', organization: TEST_ORGANIZATION, profile: 'ca', notBefore, notAfter });
  const ca = new TestCa(caCert, validDays);
  const intruderCa = new TestCa(
    issueCertificate({ commonName: 'Intruder Test Root CA', organization: 'Somebody Else (test)', profile: 'ca', notBefore, notAfter }),
    validDays,
  );
  const server = issueCertificate({
    commonName: 'localhost',
    organization: TEST_ORGANIZATION,
    profile: 'server',
    issuer: ca,
    notBefore,
    notAfter,
    ipAddresses: ['127.0.0.1'],
    dnsNames: ['localhost'],
  });
  return assembleTestPki({
    ca,
    server,
    client: ca.issueClient(),
    intruderCa,
    intruder: intruderCa.issueClient(),
    expiredClient: ca.issueClient({ notBefore: new Date(now - 30 * DAY_MS), notAfter: new Date(now - DAY_MS) }),
  });
}


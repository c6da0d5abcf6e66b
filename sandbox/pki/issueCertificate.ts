/**
 * One X.509 certificate, built and signed with node-forge over an RSA key pair that node:crypto generated (forge's
 * own key generation is pure JavaScript and takes seconds; OpenSSL's takes milliseconds). Test use only.
 */
import { X509Certificate, generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface CertificateAndKey {
  /** The certificate, PEM. */
  readonly certPem: string;
  /** Its private key, PKCS#8 PEM without a password. Never log it, never write it inside the repository. */
  readonly keyPem: string;
}

export interface IssuedCertificate extends CertificateAndKey {
  /** As Node prints it, one attribute per segment: `O=Project Field Bridge (test), CN=field-bridge`. */
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SHA-256 fingerprint, colon-separated hex, as `X509Certificate.fingerprint256`. */
  readonly fingerprint256: string;
}

export type CertificateProfile = 'ca' | 'server' | 'client';

export interface IssueOptions {
  readonly commonName: string;
  readonly organization: string;
  readonly profile: CertificateProfile;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Signs the certificate; absent = self-signed (a root CA). */
  readonly issuer?: CertificateAndKey;
  /** Server profile: IP addresses and DNS names for subjectAltName. */
  readonly ipAddresses?: readonly string[];
  readonly dnsNames?: readonly string[];
  /** RSA modulus length; 2048 is the smallest size OpenSSL 3's default security level accepts. */
  readonly keyBits?: number;
}

/** A positive serial number of 16 random bytes (RFC 5280: positive, at most 20 octets). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  bytes[0] = bytes[0] === 0 ? 1 : bytes[0];
  return bytes.toString('hex');
}

/** X.509 times carry whole seconds. */
function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

function extensionsFor(options: IssueOptions, issuerCert: forge.pki.Certificate | undefined): object[] {
  const identifiers: object[] = [{ name: 'subjectKeyIdentifier' }];
  if (issuerCert) {
    // Points at the issuer's key, so verifiers pick the right CA certificate.
    identifiers.push({ name: 'authorityKeyIdentifier', keyIdentifier: issuerCert.generateSubjectKeyIdentifier().getBytes() });
  }
  switch (options.profile) {
    case 'ca':
      return [
        { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
        ...identifiers,
      ];
    case 'server':
      return [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [...(options.ipAddresses ?? []).map((ip) => ({ type: 7, ip })), ...(options.dnsNames ?? []).map((value) => ({ type: 2, value }))],
        },
        ...identifiers,
      ];
    case 'client':
      return [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', clientAuth: true },
        ...identifiers,
      ];
  }
}

export function issueCertificate(options: IssueOptions): TestCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: options.keyBits ?? 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = wholeSeconds(options.notBefore);
  cert.validity.notAfter = wholeSeconds(options.notAfter);
  const subject = [
    { shortName: 'O', value: options.organization },
    { shortName: 'CN', value: options.commonName },
  ];
  cert.setSubject(subject);

  const issuerCert = options.issuer ? forge.pki.certificateFromPem(options.issuer.certPem) : undefined;
  cert.setIssuer(issuerCert ? issuerCert.subject.attributes : subject);
  cert.setExtensions(extensionsFor(options, issuerCert));
  const signingKey = forge.pki.privateKeyFromPem(options.issuer ? options.issuer.keyPem : privateKey);
  cert.sign(signingKey, forge.md.sha256.create());

  return new TestCertificate(forge.pki.certificateToPem(cert), privateKey);
}

/**
 * An issued certificate with its key. The key is held in a private field behind a getter, so JSON.stringify,
 * util.inspect and jest's failure diffs never print it.
 */
export class TestCertificate implements IssuedCertificate {
  readonly certPem: string;
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly fingerprint256: string;
  readonly #keyPem: string;

  constructor(certPem: string, keyPem: string) {
    const x509 = new X509Certificate(certPem);
    this.certPem = certPem;
    this.subject = x509.subject.split('\n').join(', ');
    this.issuer = x509.issuer.split('\n').join(', ');
    this.serialNumber = x509.serialNumber;
    this.notBefore = new Date(x509.validFrom);
    this.notAfter = new Date(x509.validTo);
    this.fingerprint256 = x509.fingerprint256;
    this.#keyPem = keyPem;
  }

  get keyPem(): string {
    return this.#keyPem;
  }
}

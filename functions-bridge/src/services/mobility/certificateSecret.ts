/**
 * Turns a Key Vault secret into TLS client credentials. Key Vault keeps a certificate's private key in the secret of
 * the same name (`getCertificate` returns only the public part); its content type says the format:
 * - `application/x-pkcs12`: the value is a base64 PFX → `pfx` Buffer;
 * - `application/x-pem-file`: the value is PEM text → the private key and the certificate chain, leaf first.
 * A secret without a content type is recognised by its content. The result is checked with
 * `tls.createSecureContext`, so an unreadable certificate (a legacy RC2-40 PFX, which OpenSSL 3 refuses, or a key
 * that does not match the certificate) fails here, once, with a sentence naming the secret — never its value.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import tls from 'node:tls';
import { MobilityError } from './mobilityError';

export interface ClientCredentials {
  readonly pfx?: Buffer;
  readonly cert?: string;
  readonly key?: string;
  readonly passphrase?: string;
}

export const PKCS12_CONTENT_TYPE = 'application/x-pkcs12';
export const PEM_CONTENT_TYPE = 'application/x-pem-file';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;
const BASE64 = /^[A-Za-z0-9+/\r\n]+={0,2}\s*$/;

const operation = (secretName: string): string => `read client certificate '${secretName}'`;

function unusable(secretName: string, why: string): MobilityError {
  return new MobilityError({ operation: operation(secretName), kind: 'certificate', reason: why });
}

export function decodeCertificateSecret(secretName: string, value: string | undefined, contentType: string | undefined, passphrase?: string): ClientCredentials {
  if (!value) throw unusable(secretName, 'the Key Vault secret has no value');
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  const looksPem = value.includes('-----BEGIN ');
  let credentials: ClientCredentials;
  if (type === PEM_CONTENT_TYPE || (!type && looksPem)) {
    credentials = splitPem(secretName, value, passphrase);
  } else if (type === PKCS12_CONTENT_TYPE || (!type && BASE64.test(value))) {
    if (!BASE64.test(value)) throw unusable(secretName, `the secret's content type is ${PKCS12_CONTENT_TYPE} but its value is not base64`);
    credentials = { pfx: Buffer.from(value, 'base64'), ...(passphrase !== undefined ? { passphrase } : {}) };
  } else {
    throw unusable(secretName, `the secret's content type '${contentType ?? ''}' is neither ${PKCS12_CONTENT_TYPE} nor ${PEM_CONTENT_TYPE}`);
  }
  try {
    tls.createSecureContext(credentials);
  } catch (e) {
    const said = e instanceof Error ? e.message.split('\n')[0] ?? '' : String(e);
    const hint = /unsupported pkcs12|unsupported/i.test(said)
      ? ' — an old RC2-40 PFX cannot be read by OpenSSL 3: re-export it with AES-256 (or import it into Key Vault as PEM)'
      : /mac verify|bad decrypt/i.test(said)
        ? ' — the PFX needs a different passphrase'
        : '';
    throw unusable(secretName, `Node cannot use the certificate (${said})${hint}`);
  }
  return credentials;
}

function splitPem(secretName: string, value: string, passphrase: string | undefined): ClientCredentials {
  const keys: string[] = [];
  const certs: string[] = [];
  for (const m of value.matchAll(PEM_BLOCK)) {
    const label = m[1] ?? '';
    if (label.endsWith('PRIVATE KEY')) keys.push(m[0]);
    else if (label === 'CERTIFICATE') certs.push(m[0]);
  }
  if (keys.length !== 1) throw unusable(secretName, `the PEM holds ${keys.length} private keys; it must hold exactly one (export the certificate with its private key)`);
  if (certs.length === 0) throw unusable(secretName, 'the PEM holds no certificate');
  const key = keys[0] as string;
  return { key, cert: leafFirst(certs, key, passphrase).join('\n'), ...(passphrase !== undefined ? { passphrase } : {}) };
}

/** The certificate that matches the private key goes first (TLS sends the leaf, then its chain). */
function leafFirst(certs: string[], key: string, passphrase: string | undefined): string[] {
  if (certs.length < 2) return certs;
  try {
    const privateKey = createPrivateKey(passphrase !== undefined ? { key, passphrase } : key);
    const leaf = certs.findIndex((c) => new X509Certificate(c).checkPrivateKey(privateKey));
    if (leaf > 0) return [certs[leaf] as string, ...certs.filter((_, i) => i !== leaf)];
  } catch {
    // Left as stored; createSecureContext reports what is wrong.
  }
  return certs;
}

/** What may be logged about credentials: never the key, only the certificate's public identity when known. */
export function describeCredentials(credentials: ClientCredentials): Record<string, string> {
  if (credentials.pfx) return { format: 'pfx' };
  try {
    const leaf = new X509Certificate(credentials.cert ?? '');
    return { format: 'pem', subject: leaf.subject.replace(/\n/g, ', '), notAfter: leaf.validTo, thumbprint: leaf.fingerprint256 };
  } catch {
    return { format: 'pem' };
  }
}

/**
 * PKCS#12 (PFX) files that OpenSSL 3, and so Node 20/22, can read. forge's default cipher for the certificate safe in
 * older tools was RC2-40, which OpenSSL 3 only has in its legacy provider ("Unsupported PKCS12 PFX data"); here the
 * certificates go in plain and the key is shrouded with pbeWithSHAAnd3-KeyTripleDES-CBC, which OpenSSL 3 reads by
 * default. The MAC is HMAC-SHA1 (what forge writes; OpenSSL 3 accepts it).
 */
import forge from 'node-forge';
import type { CertificateAndKey } from './issueCertificate';

/**
 * The leaf certificate and its key, followed by the chain (issuing CAs). `passphrase: null` = no password, as Key
 * Vault exports a certificate's secret: the key bag is then not encrypted and the MAC uses the empty password,
 * which OpenSSL tries when no passphrase is given.
 */
export function toPfx(leaf: CertificateAndKey, chainPems: readonly string[], passphrase: string | null): Buffer {
  const key = forge.pki.privateKeyFromPem(leaf.keyPem);
  const certs = [leaf.certPem, ...chainPems].map((pem) => forge.pki.certificateFromPem(pem));
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, certs, passphrase, { algorithm: '3des', friendlyName: 'field-bridge' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

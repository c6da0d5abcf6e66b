/** A throw-away PKI for mutual TLS on 127.0.0.1 (tests, the mobility simulator, the Key Vault stand-in). */
export { createTestPki, TestCa, TestClientCertificate, CLIENT_COMMON_NAME, TEST_ORGANIZATION, TEST_PFX_PASSPHRASE } from './createTestPki';
export type { ClientCertificateOptions, TestPki, TestPkiOptions } from './createTestPki';
export { TestCertificate } from './issueCertificate';
export type { CertificateAndKey, IssuedCertificate } from './issueCertificate';
export { loadTestPki, loadOrCreateTestPki } from './loadTestPki';
export type { LoadOrCreateResult } from './loadTestPki';
export { PKI_FILE_NAMES, writeTestPki } from './writeTestPki';
export type { PkiFiles } from './writeTestPki';

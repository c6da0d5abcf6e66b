/** A stand-in for Azure Key Vault's secrets API on 127.0.0.1, for the real SecretClient. */
export { startKeyVault, TEST_TENANT_ID } from './keyVaultStandIn';
export type { CertificateForVault, KeyVaultRequest, KeyVaultStandIn, KeyVaultStandInOptions, SecretRef, StaticTokenCredential } from './keyVaultStandIn';
export { PEM_CONTENT_TYPE, PKCS12_CONTENT_TYPE } from './secretStore';

/**
 * Builds the mobility adapter from the settings: the certificate from Key Vault (KEY_VAULT_URL,
 * MOBILITY_CERTIFICATE_NAME) read with the bridge's identity, the API at MOBILITY_BASE_URL over mutual TLS, trusting
 * MOBILITY_CA_PEM when set. Tests and other hosts override any part (credential, SecretClient options, the
 * certificate provider itself).
 */
import type { TokenCredential } from '@azure/identity';
import { SecretClient, type SecretClientOptions } from '@azure/keyvault-secrets';
import type { Settings } from '../../config/settings';
import { dataverseCredential } from '../dataverse/credential';
import { HttpsMobilityAdapter } from './httpsMobilityAdapter';
import { KeyVaultCertificateProvider, type CertificateProvider, type ProviderLog, type SecretReader } from './keyVaultCertificateProvider';

export type MobilitySettings = Pick<Settings, 'MOBILITY_BASE_URL' | 'KEY_VAULT_URL' | 'MOBILITY_CERTIFICATE_NAME' | 'MOBILITY_CA_PEM'>;

export interface MobilityAdapterOverrides {
  /** Identity for Key Vault. Default: the bridge's identity (managed identity in Azure), as for Dataverse. */
  readonly credential?: TokenCredential;
  readonly secretClientOptions?: SecretClientOptions;
  /** Replaces the SecretClient (credential and options are then unused). */
  readonly secretClient?: SecretReader;
  /** Replaces Key Vault altogether. */
  readonly certificates?: CertificateProvider;
  readonly passphrase?: string;
  readonly timeoutMs?: number;
  readonly log?: ProviderLog;
}

/** App settings hold one line: a PEM pasted with literal `\n` escapes is turned back into lines. */
function pemSetting(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v.replace(/\\n/g, '\n') : undefined;
}

export function createMobilityAdapter(settings: MobilitySettings | Settings, overrides: MobilityAdapterOverrides = {}): HttpsMobilityAdapter {
  const certificates =
    overrides.certificates ??
    new KeyVaultCertificateProvider({
      secretName: settings.MOBILITY_CERTIFICATE_NAME,
      client: overrides.secretClient ?? new SecretClient(settings.KEY_VAULT_URL, overrides.credential ?? defaultCredential(settings), overrides.secretClientOptions),
      passphrase: overrides.passphrase,
      log: overrides.log,
    });
  return new HttpsMobilityAdapter({
    baseUrl: settings.MOBILITY_BASE_URL,
    certificates,
    caPem: pemSetting(settings.MOBILITY_CA_PEM),
    timeoutMs: overrides.timeoutMs,
    log: overrides.log,
  });
}

function defaultCredential(settings: MobilitySettings | Settings): TokenCredential {
  if (!('DATAVERSE_AUTH' in settings)) {
    throw new Error('createMobilityAdapter: pass the full settings or a credential for Key Vault (overrides.credential)');
  }
  return dataverseCredential(settings);
}

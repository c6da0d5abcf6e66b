/**
 * The mobility client certificate, read from Key Vault with the bridge's identity and kept in memory only (never on
 * disk, never logged). Read once and shared by every request; re-read when a TLS failure suggests the certificate
 * was rotated (`invalidate`), or after `maxAgeMs` so a renewed certificate is picked up before the old one expires.
 * Concurrent callers share one read.
 */
import type { TokenCredential } from '@azure/identity';
import { SecretClient, type SecretClientOptions } from '@azure/keyvault-secrets';
import { decodeCertificateSecret, describeCredentials, type ClientCredentials } from './certificateSecret';
import { MobilityError } from './mobilityError';

export interface CertificateProvider {
  getCredentials(): Promise<ClientCredentials>;
  /**
   * Forgets the cached certificate so the next `getCredentials` reads Key Vault again. With `stale`, only when the
   * cache still holds those credentials (another caller may already have fetched fresh ones).
   */
  invalidate(stale?: ClientCredentials): void;
}

/** The part of SecretClient we use (a test may pass a stand-in; production passes the real client). */
export interface SecretReader {
  getSecret(name: string): Promise<{ value?: string; properties: { contentType?: string; version?: string } }>;
}

export type ProviderLog = (level: 'info' | 'warn' | 'error', message: string, properties?: Record<string, string | number | boolean>) => void;

export interface KeyVaultCertificateProviderOptions {
  /** The certificate's name in Key Vault (MOBILITY_CERTIFICATE_NAME): its secret holds the private key. */
  readonly secretName: string;
  readonly client: SecretReader;
  /** Only for a PFX or an encrypted PEM key with a password; Key Vault's own exports have none. */
  readonly passphrase?: string;
  /** Re-read after this long even without a failure. Default 12 hours. */
  readonly maxAgeMs?: number;
  readonly log?: ProviderLog;
  readonly now?: () => number;
}

export class KeyVaultCertificateProvider implements CertificateProvider {
  private cached: { readonly credentials: ClientCredentials; readonly readAt: number } | undefined;
  private reading: Promise<ClientCredentials> | undefined;
  /** Key Vault reads so far (tests and diagnostics). */
  reads = 0;

  constructor(private readonly options: KeyVaultCertificateProviderOptions) {}

  /** A provider over a real SecretClient for `vaultUrl`, authenticated with `credential`. */
  static forVault(
    vaultUrl: string,
    secretName: string,
    credential: TokenCredential,
    options: Omit<KeyVaultCertificateProviderOptions, 'client' | 'secretName'> & { readonly clientOptions?: SecretClientOptions } = {},
  ): KeyVaultCertificateProvider {
    const { clientOptions, ...rest } = options;
    return new KeyVaultCertificateProvider({ ...rest, secretName, client: new SecretClient(vaultUrl, credential, clientOptions) });
  }

  getCredentials(): Promise<ClientCredentials> {
    const now = (this.options.now ?? Date.now)();
    if (this.cached && now - this.cached.readAt < (this.options.maxAgeMs ?? 12 * 3600_000)) return Promise.resolve(this.cached.credentials);
    this.reading ??= this.read().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  invalidate(stale?: ClientCredentials): void {
    if (stale && this.cached && this.cached.credentials !== stale) return;
    this.cached = undefined;
  }

  private async read(): Promise<ClientCredentials> {
    const { secretName, client, passphrase, log } = this.options;
    this.reads += 1;
    let secret: Awaited<ReturnType<SecretReader['getSecret']>>;
    try {
      secret = await client.getSecret(secretName);
    } catch (e) {
      const err = e as { statusCode?: number; code?: string; message?: string };
      throw new MobilityError({
        operation: `read client certificate '${secretName}'`,
        kind: 'certificate',
        code: err.code,
        reason: `Key Vault refused or failed (${err.statusCode ? `HTTP ${err.statusCode}` : err.code ?? 'error'}${err.message ? `: ${err.message.split('\n')[0]}` : ''}) — check the bridge identity's access to the vault and the certificate name`,
      });
    }
    const credentials = decodeCertificateSecret(secretName, secret.value, secret.properties.contentType, passphrase);
    const readAt = (this.options.now ?? Date.now)();
    this.cached = { credentials, readAt };
    const described = describeCredentials(credentials);
    log?.('info', `Mobility client certificate '${secretName}' read from Key Vault`, { version: secret.properties.version ?? '', ...described });
    if (described['notAfter'] && Date.parse(described['notAfter']) < readAt) {
      log?.('warn', `Mobility client certificate '${secretName}' in Key Vault expired on ${described['notAfter']}: the mobility API will refuse it — renew it in Key Vault`, { version: secret.properties.version ?? '' });
    }
    return credentials;
  }
}

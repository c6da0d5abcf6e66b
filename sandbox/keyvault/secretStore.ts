/**
 * Secrets and their versions, in memory, as Key Vault keeps them: every set makes a new version (32 hex digits);
 * a read without a version gets the latest one (refused when that one is disabled, as by the service). A
 * certificate's secret is "managed" (it has a key id, `kid`, and the certificate's validity as nbf/exp); a PFX one
 * can also be read as PEM (`outContentType`).
 */
import { randomBytes } from 'node:crypto';

export const PKCS12_CONTENT_TYPE = 'application/x-pkcs12';
export const PEM_CONTENT_TYPE = 'application/x-pem-file';

/** What a certificate secret is made from: the key, the leaf and its chain (PEM); the PFX without a password. */
export interface CertificateMaterial {
  readonly keyPem: string;
  /** Leaf first, then issuing CAs. */
  readonly certPems: readonly string[];
  readonly pfx: Buffer;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export interface SecretVersion {
  readonly name: string;
  readonly version: string;
  readonly value: string;
  readonly contentType: string | undefined;
  readonly tags: Readonly<Record<string, string>> | undefined;
  readonly enabled: boolean;
  /** Unix seconds, as Key Vault's attributes carry them. */
  readonly created: number;
  readonly updated: number;
  readonly notBefore: number | undefined;
  readonly expires: number | undefined;
  /** Set for a certificate's secret. */
  readonly certificate: CertificateMaterial | undefined;
}

export interface NewSecret {
  readonly value: string;
  readonly contentType?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly enabled?: boolean;
  readonly notBefore?: number;
  readonly expires?: number;
  readonly certificate?: CertificateMaterial;
}

/** Key Vault's rule for secret names. */
export const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;

export class SecretStore {
  /** By lower-case name (Key Vault names are case-insensitive); versions oldest first. */
  private readonly secrets = new Map<string, SecretVersion[]>();

  constructor(private readonly clock: () => Date) {}

  set(name: string, secret: NewSecret): SecretVersion {
    if (!SECRET_NAME.test(name)) throw new RangeError(`Secret name '${name}' is invalid: 1–127 letters, digits and dashes`);
    const now = Math.floor(this.clock().getTime() / 1000);
    const versions = this.secrets.get(name.toLowerCase()) ?? [];
    const created: SecretVersion = {
      name: versions[0]?.name ?? name,
      version: randomBytes(16).toString('hex'),
      value: secret.value,
      contentType: secret.contentType,
      tags: secret.tags,
      enabled: secret.enabled ?? true,
      created: now,
      updated: now,
      notBefore: secret.notBefore,
      expires: secret.expires,
      certificate: secret.certificate,
    };
    versions.push(created);
    this.secrets.set(name.toLowerCase(), versions);
    return created;
  }

  /** The latest version, or the one named. */
  get(name: string, version?: string): SecretVersion | undefined {
    const versions = this.secrets.get(name.toLowerCase());
    if (!versions) return undefined;
    return version ? versions.find((v) => v.version === version.toLowerCase()) : versions[versions.length - 1];
  }

  /** Enables or disables one version (default: the latest); undefined when there is no such version. */
  setEnabled(name: string, enabled: boolean, version?: string): SecretVersion | undefined {
    const versions = this.secrets.get(name.toLowerCase());
    const current = this.get(name, version);
    if (!versions || !current) return undefined;
    const changed: SecretVersion = { ...current, enabled, updated: Math.floor(this.clock().getTime() / 1000) };
    versions[versions.indexOf(current)] = changed;
    return changed;
  }

  versions(name: string): readonly SecretVersion[] {
    return this.secrets.get(name.toLowerCase()) ?? [];
  }
}

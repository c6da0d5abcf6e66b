/**
 * A stand-in for Azure Key Vault's secrets API, enough for the real `SecretClient` (@azure/keyvault-secrets): HTTPS
 * on 127.0.0.1 with the test PKI's server certificate. No Key Vault emulator exists on npm; this one implements only
 * what the bridge uses, shaped as the service answers:
 *
 * - `GET /secrets/{name}[/{version}]?api-version=…[&outContentType=…]` → the secret bundle (value, id, attributes
 *   with Unix-second times, contentType, tags; `kid` and `managed` for a certificate's secret); 404 SecretNotFound;
 *   403 Forbidden/SecretDisabled for a disabled version. `outContentType=application/x-pem-file` converts a PFX
 *   certificate's secret to PEM (the only conversion the service offers).
 * - `PUT /secrets/{name}?api-version=…` `{ value, contentType?, tags?, attributes? }` → a new version.
 * - The bearer challenge: a request without `Authorization: Bearer …` gets 401 with
 *   `WWW-Authenticate: Bearer authorization="https://login.microsoftonline.com/<tenant>", resource="https://vault.azure.net"`.
 *   The SDK's keyVaultAuthenticationPolicy sends its first request without a token (and without a body), reads the
 *   tenant and the scope `https://vault.azure.net/.default` from the challenge, gets a token and repeats the request.
 *
 * Differences from the service, on purpose: any non-empty bearer token is accepted unless `acceptToken` says
 * otherwise (no token validation); no soft delete, backup, listing or certificate/key endpoints; no
 * `x-ms-*` diagnostics headers. Values and tokens are never recorded or logged.
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CertificateAndKey } from '../pki/issueCertificate';
import { listenLoopbackHttps } from '../pki/loopbackHttpsServer';
import { PEM_CONTENT_TYPE, PKCS12_CONTENT_TYPE, SECRET_NAME, SecretStore, type CertificateMaterial, type SecretVersion } from './secretStore';

export interface KeyVaultStandInOptions {
  /** The test PKI (`createTestPki()`): its server certificate, and the CA clients must trust. */
  readonly pki: { readonly ca: { readonly certPem: string }; readonly server: CertificateAndKey };
  /** 0 or absent = a free port. */
  readonly port?: number;
  /** The tenant named in the challenge. Default TEST_TENANT_ID. */
  readonly tenantId?: string;
  /** Decides whether a bearer token is accepted; default: any non-empty token. */
  readonly acceptToken?: (token: string) => boolean;
  readonly now?: () => Date;
}

/** A client certificate as the test PKI gives it: `pki.client`, `pki.ca.issueClient()`… */
export interface CertificateForVault {
  readonly certPem: string;
  readonly keyPem: string;
  /** Leaf then chain; default: the leaf only. */
  readonly chainPem?: string;
  /** PKCS#12 without a password, as Key Vault hands it out. */
  readonly pfxWithoutPassword: Buffer;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export interface SecretRef {
  /** `<vault>/secrets/<name>/<version>` */
  readonly id: string;
  readonly name: string;
  readonly version: string;
}

export interface KeyVaultRequest {
  readonly method: string;
  readonly path: string;
  readonly apiVersion: string | null;
  /** True when the request carried a bearer token the stand-in accepted. */
  readonly authorized: boolean;
  readonly status: number;
}

/** A TokenCredential (@azure/core-auth) that always returns one token and records what it was asked for. */
export interface StaticTokenCredential {
  getToken(scopes: string | string[], options?: { readonly tenantId?: string }): Promise<{ token: string; expiresOnTimestamp: number }>;
  /** Every getToken call: the scopes and tenant the SDK asked for (the token is not recorded). */
  readonly calls: { readonly scopes: string[]; readonly tenantId: string | undefined }[];
}

export interface KeyVaultStandIn {
  /** `https://127.0.0.1:<port>`: the vault URL for `new SecretClient(url, …)`. */
  readonly url: string;
  readonly port: number;
  readonly tenantId: string;
  /** Stores a new version of a plain secret. */
  setSecret(name: string, value: string, contentType?: string, tags?: Readonly<Record<string, string>>): SecretRef;
  /**
   * Stores a certificate's secret as Key Vault does: `pfx` = base64 PKCS#12 without a password, content type
   * application/x-pkcs12; `pem` = the private key then the certificate chain, content type application/x-pem-file.
   * Each call is a new version (certificate rotation).
   */
  setCertificateSecret(name: string, certificate: CertificateForVault, format: 'pfx' | 'pem'): SecretRef;
  /** Disables (or re-enables) a version, default the latest: reads then get 403 as from the service. */
  setSecretEnabled(name: string, enabled: boolean, version?: string): void;
  /** Versions of a secret, oldest first (no values). */
  versions(name: string): SecretRef[];
  requests(): KeyVaultRequest[];
  /**
   * Options for the real SecretClient: an https.Agent trusting the test CA (the Azure SDK's Node HTTP client uses
   * `PipelineOptions.agent` as is; `tlsOptions` only carries a client certificate, not a CA), and
   * `disableChallengeResourceVerification`, because the challenge's resource (vault.azure.net) is not a suffix of
   * 127.0.0.1. Never NODE_TLS_REJECT_UNAUTHORIZED. The agent is destroyed by `close()`.
   */
  clientOptions(): { agent: https.Agent; disableChallengeResourceVerification: true };
  /** A credential for the SecretClient that returns a fixed test token. */
  credential(): StaticTokenCredential;
  close(): Promise<void>;
}

/** The tenant the challenge names unless another is given. */
export const TEST_TENANT_ID = '7d3e4c2b-0000-4000-8000-00000000a7e5';
/** Soft delete on, purge protection off: what a new vault reports. Any api-version is accepted. */
const RECOVERY_LEVEL = 'Recoverable+Purgeable';
const SECRET_PATH = /^\/secrets\/([^/]+)(?:\/([^/]*))?$/;
const MAX_BODY = 256 * 1024;

function toPem(c: CertificateMaterial): string {
  return `${[c.keyPem, ...c.certPems].map((p) => p.trim()).join('\n')}\n`;
}

function pemBlocks(text: string): string[] {
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map((m) => `${m[0]}\n`);
}

function errorBody(code: string, message: string, inner?: string): unknown {
  return { error: { code, message, ...(inner ? { innererror: { code: inner } } : {}) } };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return { ok: false };
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

export async function startKeyVault(options: KeyVaultStandInOptions): Promise<KeyVaultStandIn> {
  const tenantId = options.tenantId ?? TEST_TENANT_ID;
  const now = options.now ?? (() => new Date());
  const accept = options.acceptToken ?? ((token: string) => token.length > 0);
  const store = new SecretStore(now);
  const log: KeyVaultRequest[] = [];
  const agents: https.Agent[] = [];
  let vaultUrl = '';

  const bundle = (s: SecretVersion, outContentType: string | null): Record<string, unknown> => {
    let value = s.value;
    let contentType = s.contentType;
    if (s.certificate && outContentType === PEM_CONTENT_TYPE && s.contentType === PKCS12_CONTENT_TYPE) {
      value = toPem(s.certificate);
      contentType = PEM_CONTENT_TYPE;
    }
    return {
      value,
      ...(contentType !== undefined ? { contentType } : {}),
      id: `${vaultUrl}/secrets/${s.name}/${s.version}`,
      attributes: {
        enabled: s.enabled,
        ...(s.notBefore !== undefined ? { nbf: s.notBefore } : {}),
        ...(s.expires !== undefined ? { exp: s.expires } : {}),
        created: s.created,
        updated: s.updated,
        recoveryLevel: RECOVERY_LEVEL,
        recoverableDays: 90,
      },
      ...(s.tags ? { tags: s.tags } : {}),
      ...(s.certificate ? { kid: `${vaultUrl}/keys/${s.name}/${s.version}`, managed: true } : {}),
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<number> => {
    const match = SECRET_PATH.exec(url.pathname);
    if (!match) {
      send(res, 404, errorBody('NotFound', `The path ${url.pathname} is not served by this stand-in vault (only /secrets/{name}[/{version}]).`));
      return 404;
    }
    const name = decodeURIComponent(match[1] ?? '');
    const version = match[2] ? decodeURIComponent(match[2]) : undefined;
    if (!url.searchParams.get('api-version')) {
      send(res, 400, errorBody('BadParameter', 'The api-version query parameter is required.'));
      return 400;
    }
    if (!SECRET_NAME.test(name)) {
      send(res, 400, errorBody('BadParameter', `The secret name '${name}' is invalid: 1–127 letters, digits and dashes.`));
      return 400;
    }
    if (req.method === 'GET') {
      const found = store.get(name, version);
      if (!found) {
        send(res, 404, errorBody('SecretNotFound', `A secret with (name/id) ${name}${version ? `/${version}` : ''} was not found in this key vault.`));
        return 404;
      }
      if (!found.enabled) {
        send(res, 403, errorBody('Forbidden', 'Operation get is not allowed on a disabled secret.', 'SecretDisabled'));
        return 403;
      }
      const out = url.searchParams.get('outContentType');
      if (out && out !== PKCS12_CONTENT_TYPE && out !== PEM_CONTENT_TYPE) {
        send(res, 400, errorBody('BadParameter', `outContentType must be ${PKCS12_CONTENT_TYPE} or ${PEM_CONTENT_TYPE}.`));
        return 400;
      }
      if (out && out !== found.contentType && !(found.certificate && found.contentType === PKCS12_CONTENT_TYPE && out === PEM_CONTENT_TYPE)) {
        // The service converts only a PFX certificate's secret to PEM (SecretClient docs, GetSecretOptions.outContentType).
        send(res, 400, errorBody('BadParameter', 'outContentType: only the secret of a PFX certificate can be converted, and only to PEM.'));
        return 400;
      }
      send(res, 200, bundle(found, out));
      return 200;
    }
    if (req.method === 'PUT' && version === undefined) {
      const body = await readJson(req);
      const v = body.ok ? (body.value as Record<string, unknown> | undefined) : undefined;
      if (!v || typeof v !== 'object' || typeof v['value'] !== 'string') {
        send(res, 400, errorBody('BadParameter', 'The body must be JSON with a string value.'));
        return 400;
      }
      const attributes = (v['attributes'] ?? {}) as Record<string, unknown>;
      const created = store.set(name, {
        value: v['value'],
        contentType: typeof v['contentType'] === 'string' ? v['contentType'] : undefined,
        tags: v['tags'] && typeof v['tags'] === 'object' ? (v['tags'] as Record<string, string>) : undefined,
        enabled: typeof attributes['enabled'] === 'boolean' ? attributes['enabled'] : true,
        notBefore: typeof attributes['nbf'] === 'number' ? attributes['nbf'] : undefined,
        expires: typeof attributes['exp'] === 'number' ? attributes['exp'] : undefined,
      });
      send(res, 200, bundle(created, null));
      return 200;
    }
    send(res, 405, errorBody('MethodNotAllowed', `${req.method ?? ''} ${url.pathname} is not supported by this stand-in vault.`));
    return 405;
  };

  const running = await listenLoopbackHttps({ server: options.pki.server, port: options.port }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const auth = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '');
    const authorized = Boolean(auth && accept((auth[1] ?? '').trim()));
    const entry = { method: req.method ?? 'GET', path: url.pathname, apiVersion: url.searchParams.get('api-version'), authorized };
    if (!authorized) {
      // Drain the body (the SDK's first, challenge-seeking request has none) before answering.
      req.resume();
      send(
        res,
        401,
        errorBody('Unauthorized', auth ? 'AKV10032: The access token was not accepted by this vault.' : 'AKV10000: Request is missing a Bearer or PoP token.'),
        { 'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/${tenantId}", resource="https://vault.azure.net"` },
      );
      log.push({ ...entry, status: 401 });
      return;
    }
    handle(req, res, url).then(
      (status) => log.push({ ...entry, status }),
      (e: unknown) => {
        if (!res.headersSent) send(res, 500, errorBody('InternalError', (e as Error).message));
        log.push({ ...entry, status: 500 });
      },
    );
  });
  vaultUrl = running.url;

  const ref = (s: SecretVersion): SecretRef => ({ id: `${vaultUrl}/secrets/${s.name}/${s.version}`, name: s.name, version: s.version });

  return {
    url: vaultUrl,
    port: running.port,
    tenantId,
    setSecret: (name, value, contentType, tags) => ref(store.set(name, { value, contentType, tags })),
    setCertificateSecret(name, certificate, format) {
      const material: CertificateMaterial = {
        keyPem: certificate.keyPem,
        certPems: certificate.chainPem ? pemBlocks(certificate.chainPem) : [certificate.certPem],
        pfx: certificate.pfxWithoutPassword,
        notBefore: certificate.notBefore,
        notAfter: certificate.notAfter,
      };
      const value = format === 'pfx' ? material.pfx.toString('base64') : toPem(material);
      return ref(
        store.set(name, {
          value,
          contentType: format === 'pfx' ? PKCS12_CONTENT_TYPE : PEM_CONTENT_TYPE,
          notBefore: Math.floor(certificate.notBefore.getTime() / 1000),
          expires: Math.floor(certificate.notAfter.getTime() / 1000),
          certificate: material,
        }),
      );
    },
    setSecretEnabled(name, enabled, version) {
      if (!store.setEnabled(name, enabled, version)) throw new RangeError(`No secret ${name}${version ? `/${version}` : ''} in the stand-in vault`);
    },
    versions: (name) => store.versions(name).map(ref),
    requests: () => log.map((r) => ({ ...r })),
    clientOptions() {
      const agent = new https.Agent({ ca: options.pki.ca.certPem, keepAlive: true });
      agents.push(agent);
      return { agent, disableChallengeResourceVerification: true };
    },
    credential(): StaticTokenCredential {
      const calls: StaticTokenCredential['calls'] = [];
      return {
        calls,
        getToken(scopes, opts) {
          calls.push({ scopes: Array.isArray(scopes) ? [...scopes] : [scopes], tenantId: opts?.tenantId });
          return Promise.resolve({ token: 'stand-in-vault-test-token', expiresOnTimestamp: Date.now() + 3_600_000 });
        },
      };
    },
    async close() {
      for (const agent of agents.splice(0)) agent.destroy();
      await running.close();
    },
  };
}

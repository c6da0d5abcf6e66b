/**
 * Who is calling. Real Dataverse validates an Entra ID token; the local one accepts any bearer token (there is no
 * identity provider on this machine) but still requires one, answering 401 without it as Dataverse does.
 * When the token is a JWT, its claims pick the systemuser: `oid` → azureactivedirectoryobjectid, otherwise
 * `appid`/`azp` → applicationid (an application user). Any other token is the sandbox admin.
 * Service protection limits are counted per resolved user, as Dataverse counts them.
 */
import type { Store } from './store/store';
import type { Caller } from './pipeline/context';
import { errors } from './protocol/errors';

export interface TokenClaims {
  oid?: string;
  appid?: string;
  azp?: string;
}

export function decodeJwtClaims(token: string): TokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8')) as unknown;
    return typeof claims === 'object' && claims !== null ? (claims as TokenClaims) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A token this server resolves to an application user: an unsigned JWT whose `appid` claim is the application's id
 * (as Entra ID puts it in an app-only token). Local only: nothing here checks signatures.
 */
export function applicationToken(appId: string): string {
  const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ appid: appId })}.x`;
}

export function bearerToken(authorization: string | undefined): string {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) throw errors.unauthorized();
  return m[1] as string;
}

export function resolveCaller(store: Store, token: string, defaultUserId: string): Caller {
  const claims = decodeJwtClaims(token);
  let user = claims?.oid ? store.findBy('systemuser', { azureactivedirectoryobjectid: claims.oid.toLowerCase() }) : undefined;
  const appId = claims?.appid ?? claims?.azp;
  if (!user && appId) user = store.findBy('systemuser', { applicationid: appId.toLowerCase() });
  if (!user) user = store.get('systemuser', defaultUserId);
  if (!user) throw errors.unauthorized();
  const bu = user['businessunitid'];
  return {
    userId: user['systemuserid'] as string,
    businessUnitId: bu && typeof bu === 'object' ? bu.id : defaultUserId,
    isApplicationUser: Boolean(user['applicationid']),
  };
}

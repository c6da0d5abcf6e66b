/**
 * The identity the bridge calls Dataverse with: the Function App's managed identity in Azure, an app
 * registration's secret or certificate elsewhere, or a static token for the local Dataverse (which accepts any).
 * Tokens are cached by @azure/identity; the scope is `<environment origin>/.default`.
 */
import { ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential, UsernamePasswordCredential, type AccessToken, type TokenCredential } from '@azure/identity';
import type { Settings } from '../../config/settings';

class StaticTokenCredential implements TokenCredential {
  constructor(private readonly token: string) {}
  getToken(): Promise<AccessToken> {
    return Promise.resolve({ token: this.token, expiresOnTimestamp: Date.now() + 60 * 60 * 1000 });
  }
}

export function dataverseCredential(s: Settings): TokenCredential {
  switch (s.DATAVERSE_AUTH) {
    case 'managedIdentity':
      return s.AZURE_CLIENT_ID ? new ManagedIdentityCredential({ clientId: s.AZURE_CLIENT_ID }) : new ManagedIdentityCredential();
    case 'clientSecret':
      return new ClientSecretCredential(s.AZURE_TENANT_ID as string, s.AZURE_CLIENT_ID as string, s.AZURE_CLIENT_SECRET as string);
    case 'clientCertificate':
      return new ClientCertificateCredential(s.AZURE_TENANT_ID as string, s.AZURE_CLIENT_ID as string, { certificatePath: s.AZURE_CLIENT_CERTIFICATE_PATH as string });
    case 'static':
      return new StaticTokenCredential(s.DATAVERSE_STATIC_TOKEN as string);
  }
}

/** `https://contoso.crm.dynamics.com/api/data/v9.2` → `https://contoso.crm.dynamics.com/.default` */
export function dataverseScope(serviceRoot: string): string {
  return `${new URL(serviceRoot).origin}/.default`;
}

/**
 * The Project-licensed service user of the schedule write-back: the schedule APIs refuse application users ("Only
 * Users with Microsoft Project License can use the Project Schedule APIs"), so this is a user sign-in (resource owner
 * password through a public client app registration, no MFA on that account) or, locally, a static token.
 */
export function scheduleWriteBackCredential(s: Settings): TokenCredential {
  if (s.SCHEDULE_WRITEBACK_AUTH === 'static') return new StaticTokenCredential(s.SCHEDULE_WRITEBACK_STATIC_TOKEN as string);
  return new UsernamePasswordCredential(s.AZURE_TENANT_ID as string, s.AZURE_CLIENT_ID as string, s.SCHEDULE_WRITEBACK_USERNAME as string, s.SCHEDULE_WRITEBACK_PASSWORD as string);
}

/**
 * `Xrm.Utility.getGlobalContext()`: the signed-in user (userSettings: id in `{GUID}` form as the client API gives it,
 * name, language, roles and privileges), the organization and the client. Built once at mount from WhoAmI and the
 * user's row.
 */
/// <reference types="xrm" />
import type { UserPrivileges } from './privileges';

export interface SandboxUser {
  /** systemuserid, bare lower case. */
  readonly id: string;
  readonly name: string;
  readonly businessUnitId: string;
  readonly languageId: number;
  readonly privileges: UserPrivileges;
  readonly roles: readonly { readonly id: string; readonly name: string }[];
}

export interface SandboxOrganization {
  readonly id: string;
  readonly uniqueName: string;
  readonly baseLanguageId: number;
}

/** `{8A3E…}`: how the client API hands out record ids. */
export const braced = (id: string): string => `{${id.replace(/[{}]/g, '').toUpperCase()}}`;

export function createGlobalContext(clientUrl: string, user: SandboxUser, organization: SandboxOrganization): Xrm.GlobalContext {
  const roles = user.roles.map((r) => ({ id: r.id, name: r.name }));
  const userSettings = {
    userId: braced(user.id),
    userName: user.name,
    languageId: user.languageId,
    securityRolePrivileges: user.privileges.ids(),
    securityRoles: roles.map((r) => r.id),
    roles: { get: () => roles, getLength: () => roles.length, forEach: (cb: (r: unknown, i: number) => void) => roles.forEach(cb) },
    isGuidedHelpEnabled: false,
    isHighContrastEnabled: false,
    isRTL: false,
    defaultDashboardId: '',
    transactionCurrencyId: '',
    getTimeZoneOffsetMinutes: () => 0,
    getSecurityRolePrivilegesInfo: (success?: (info: unknown) => void, failure?: (e: unknown) => void) => {
      const work = Promise.resolve(user.privileges.info());
      if (success || failure) work.then(success, failure);
      return work;
    },
  };
  const client = {
    getClient: () => 'Web',
    getClientState: () => 'Online',
    getFormFactor: () => 1,
    isOffline: () => false,
    isNetworkAvailable: () => true,
  };
  return {
    client,
    organizationSettings: {
      organizationId: organization.id,
      uniqueName: organization.uniqueName,
      languageId: organization.baseLanguageId,
      baseCurrencyId: '',
      isAutoSaveEnabled: false,
    },
    userSettings,
    getClientUrl: () => clientUrl.replace(/\/+$/, ''),
    getCurrentAppUrl: () => clientUrl.replace(/\/+$/, ''),
    getCurrentAppName: () => Promise.resolve('Project Field Bridge (sandbox)'),
    getCurrentAppProperties: () => Promise.resolve({ appId: '', displayName: 'Project Field Bridge (sandbox)', uniqueName: 'pfb_sandbox', url: clientUrl, webResourceId: '', webResourceName: '', welcomePageId: '', welcomePageName: '' }),
    getVersion: () => '9.2.0.0',
    getOrgLcid: () => organization.baseLanguageId,
    getOrgUniqueName: () => organization.uniqueName,
    getUserId: () => braced(user.id),
    getUserLcid: () => user.languageId,
    getUserName: () => user.name,
    getUserRoles: () => roles.map((r) => r.id),
    getQueryStringParameters: () => ({}),
    getWebResourceUrl: (name: string) => `${clientUrl.replace(/\/+$/, '')}/WebResources/${name}`,
    isOnPremises: () => false,
    prependOrgName: (path: string) => path,
  } as unknown as Xrm.GlobalContext;
}

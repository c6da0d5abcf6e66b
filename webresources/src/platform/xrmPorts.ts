/**
 * The ports over the global `Xrm` of a model-driven app (or the sandbox's implementation of it). Nothing here decides:
 * each function forwards to the client API call that does the job.
 */
import { createStrings, resxLookup, type Strings } from '../strings/localize';
import type { PrivilegeSource } from '../rules/enableRules';
import { normalizeId } from './ids';
import type { CommandPorts, NotificationLevel, WebApiPort } from './ports';

/** Xrm.App.addGlobalNotification levels (xrm-app/addglobalnotification.md): 1 success, 2 error, 3 warning, 4 information. */
const APP_LEVEL: Readonly<Record<NotificationLevel, XrmEnum.AppNotificationLevel>> = { success: 1, error: 2, warning: 3, info: 4 };
/** "Currently, only a value of 2 is supported, which displays a message bar at the top of the app." */
const MESSAGE_BAR = 2;

export function currentXrm(): Xrm.XrmStatic {
  const xrm = (globalThis as { Xrm?: Xrm.XrmStatic }).Xrm;
  if (!xrm) throw new Error('Project Field Bridge: the Xrm client API is not available on this page.');
  return xrm;
}

/** The client API's own promise type (Xrm.Async.PromiseLike) as a standard Promise. */
export function toPromise<T>(work: Xrm.Async.PromiseLike<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    work.then(resolve, reject);
  });
}

export function webApiPort(xrm: Xrm.XrmStatic): WebApiPort {
  return {
    retrieveMultipleRecords: (entity, options) => toPromise(xrm.WebApi.retrieveMultipleRecords(entity, options)),
    executeMultiple: (requests) => toPromise(xrm.WebApi.online.executeMultiple(requests as unknown[])),
  };
}

export function stringsOf(xrm: Xrm.XrmStatic): Strings {
  const lcid = xrm.Utility.getGlobalContext().userSettings.languageId || 1033;
  return createStrings(lcid, resxLookup(xrm.Utility.getResourceString?.bind(xrm.Utility)));
}

export function commandPorts(xrm: Xrm.XrmStatic = currentXrm()): CommandPorts {
  const settings = xrm.Utility.getGlobalContext().userSettings;
  const userId = normalizeId(settings.userId);
  if (!userId) throw new Error(`Project Field Bridge: the signed-in user's id (${String(settings.userId)}) is not a GUID.`);
  return {
    webApi: webApiPort(xrm),
    dialogs: {
      alert: async ({ title, text, confirmLabel }) => {
        await toPromise(xrm.Navigation.openAlertDialog({ title, text, confirmButtonLabel: confirmLabel }));
      },
      confirm: async ({ title, text, confirmLabel, cancelLabel }) => {
        const answer = await toPromise(xrm.Navigation.openConfirmDialog({ title, text, confirmButtonLabel: confirmLabel, cancelButtonLabel: cancelLabel }));
        return answer?.confirmed === true;
      },
    },
    progress: {
      show: (message) => xrm.Utility.showProgressIndicator(message),
      close: () => xrm.Utility.closeProgressIndicator(),
    },
    notifications: {
      notify: (level, message) => {
        void xrm.App.addGlobalNotification({ type: MESSAGE_BAR, level: APP_LEVEL[level], message, showCloseButton: true });
      },
    },
    user: { id: userId, lcid: settings.languageId || 1033 },
    strings: stringsOf(xrm),
    now: () => new Date(),
  };
}

/** Privilege names the user holds, from getSecurityRolePrivilegesInfo (null where the client does not offer it). */
export function privilegeSource(xrm: Xrm.XrmStatic): PrivilegeSource {
  return async () => {
    const settings = xrm.Utility.getGlobalContext().userSettings;
    if (typeof settings.getSecurityRolePrivilegesInfo !== 'function') return null;
    const info = await settings.getSecurityRolePrivilegesInfo();
    return new Set(Object.values(info ?? {}).map((p) => p.privilegeName));
  };
}

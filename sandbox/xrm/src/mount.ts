/**
 * `mountXrm`: a real `Xrm` for a page served by the sandbox origin (sandbox/origin/originServer.ts), over the local
 * Dataverse Web API on the same origin. It reads what a model-driven app knows at start — the table metadata
 * ($metadata), who the user is (WhoAmI and the user's row) and the RESX string resources — then installs
 * `window.Xrm`:
 *
 *   Xrm.WebApi (+ online.execute / executeMultiple)   webApi/webApi.ts
 *   Xrm.Utility: getGlobalContext, getResourceString, show/closeProgressIndicator
 *   Xrm.Navigation: openAlertDialog, openConfirmDialog, openErrorDialog (DOM dialogs)
 *   Xrm.App: addGlobalNotification, clearGlobalNotification (message bars)
 *
 * Grids, forms and command bars are built on top with the returned `mounted` (gridControl.ts, formContext.ts,
 * commandBar.ts); the page decides its layout.
 */
/// <reference types="xrm" />
import { createGlobalContext, type SandboxOrganization, type SandboxUser } from './context/globalContext';
import { userPrivileges, type PrivilegeGrant } from './context/privileges';
import { ResourceStrings } from './context/resources';
import { GridControl, type GridControlOptions } from './controls/gridControl';
import { createForm, type FormOptions, type SandboxForm } from './controls/formContext';
import { CommandBar, scriptLoader, type CommandContext } from './ribbon/commandBar';
import { readRibbonDiff, type RibbonModel } from './ribbon/ribbonModel';
import { Dialogs } from './ui/dialogs';
import { currentDocument, el, type DomDocument, type DomElement } from './ui/dom';
import { MessageBars, notificationArea } from './ui/notifications';
import { ProgressIndicator } from './ui/progress';
import type { FetchLike } from './webApi/transport';
import { createWebApi, type SandboxWebApi } from './webApi/webApi';

export interface MountOptions {
  /** The organization URL (the page's origin by default). */
  readonly clientUrl?: string;
  readonly fetch?: FetchLike;
  /** Extra headers for every Web API request (a browser session needs none: the origin authenticates it). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly user?: {
    /** Privilege names the user holds, or 'all' (System Administrator). Default 'all'. */
    readonly privileges?: readonly (string | PrivilegeGrant)[] | 'all';
    readonly roles?: readonly { readonly id: string; readonly name: string }[];
    /** The user's language (LCID). Default: the organization's. */
    readonly languageId?: number;
  };
  readonly organization?: { readonly uniqueName?: string; readonly baseLanguageId?: number };
  /** RESX web resource names (without language) to load for getResourceString, e.g. 'pfb_/strings/ribbon'. */
  readonly resources?: readonly string[];
  readonly document?: DomDocument;
  /** Where global notifications show (a message bar area is added to the top of the body otherwise). */
  readonly notificationContainer?: DomElement;
  /** Install as `window.Xrm` (default true). */
  readonly installGlobal?: boolean;
}

export interface MountedXrm {
  readonly xrm: Xrm.XrmStatic;
  readonly webApi: SandboxWebApi;
  readonly user: SandboxUser;
  readonly organization: SandboxOrganization;
  readonly clientUrl: string;
  readonly document: DomDocument;
  readonly dialogs: Dialogs;
  readonly progress: ProgressIndicator;
  readonly notifications: MessageBars;
  /** Loads `$webresource:` libraries (script tags from /WebResources/). */
  loadLibrary(name: string): Promise<void>;
  /** RibbonDiffXml texts → models in the user's language. */
  readRibbons(xml: readonly string[]): RibbonModel[];
  createGrid(options: GridControlOptions): GridControl;
  createForm(options: Omit<FormOptions, 'webApi' | 'notifications'> & { readonly notificationContainer?: DomElement }): Promise<SandboxForm>;
  createCommandBar(options: { readonly container: DomElement; readonly ribbons: readonly RibbonModel[]; readonly context: CommandContext; readonly ruleTimeoutMs?: number }): CommandBar;
}

/** WhoAmI as Microsoft's sample builds it (xrm-execute-function-whoami.js): an unbound function. */
class WhoAmIRequest {
  getMetadata(): { boundParameter: null; parameterTypes: Record<string, never>; operationType: number; operationName: string } {
    return { boundParameter: null, parameterTypes: {}, operationType: 1, operationName: 'WhoAmI' };
  }
}

export async function mountXrm(options: MountOptions = {}): Promise<MountedXrm> {
  const doc = currentDocument(options.document);
  const clientUrl = (options.clientUrl ?? (globalThis as unknown as { location?: { origin: string } }).location?.origin ?? '').replace(/\/+$/, '');
  if (!clientUrl) throw new Error('mountXrm needs a clientUrl outside a browser page.');
  const fetchFn = options.fetch ?? ((url: string, init: { method: string; headers: Record<string, string>; body?: string }) => globalThis.fetch(url, init));
  const webApi = await createWebApi({ serviceRoot: `${clientUrl}/api/data/v9.2`, fetch: fetchFn, headers: options.headers });

  const who = (await (await webApi.online.execute(new WhoAmIRequest())).json()) as { UserId: string; BusinessUnitId: string; OrganizationId: string };
  const userRow = (await webApi.retrieveRecord('systemuser', who.UserId, '?$select=fullname')) as { fullname?: string };
  const baseLanguageId = options.organization?.baseLanguageId ?? 1033;
  const organization: SandboxOrganization = { id: who.OrganizationId, uniqueName: options.organization?.uniqueName ?? 'pfbsandbox', baseLanguageId };
  const user: SandboxUser = {
    id: who.UserId.toLowerCase(),
    name: userRow.fullname ?? who.UserId,
    businessUnitId: who.BusinessUnitId.toLowerCase(),
    languageId: options.user?.languageId ?? baseLanguageId,
    privileges: userPrivileges(options.user?.privileges ?? 'all', who.BusinessUnitId.toLowerCase(), () => webApi.metadata.logicalNames()),
    roles: options.user?.roles ?? [],
  };

  const resources = new ResourceStrings(user.languageId, baseLanguageId);
  for (const name of options.resources ?? []) await resources.load(name, clientUrl, fetchFn);

  const globalContext = createGlobalContext(clientUrl, user, organization);
  const dialogs = new Dialogs(doc);
  const progress = new ProgressIndicator(doc);
  let area = options.notificationContainer;
  if (!area) {
    area = el(doc, 'div', { 'data-sandbox-global-notifications': '' });
    doc.body.append(area);
  }
  const notifications = notificationArea(doc, area, 'Notifications');

  const xrm = {
    WebApi: webApi,
    Utility: {
      getGlobalContext: () => globalContext,
      getResourceString: (name: string, key: string) => resources.getResourceString(name, key),
      showProgressIndicator: (message: string) => progress.show(message),
      closeProgressIndicator: () => progress.close(),
    },
    Navigation: {
      openAlertDialog: (strings: { text: string; title?: string; confirmButtonLabel?: string }) => dialogs.openAlertDialog(strings),
      openConfirmDialog: (strings: { text: string; title?: string; subtitle?: string; confirmButtonLabel?: string; cancelButtonLabel?: string }) => dialogs.openConfirmDialog(strings),
      openErrorDialog: (o: { message?: string; details?: string; errorCode?: number }) => dialogs.openErrorDialog(o),
    },
    App: {
      addGlobalNotification: (n: { level?: number; message?: string; showCloseButton?: boolean }) => notifications.addGlobalNotification(n),
      clearGlobalNotification: (id: string) => {
        notifications.clear(id);
        return Promise.resolve(id);
      },
    },
  } as unknown as Xrm.XrmStatic;
  if (options.installGlobal !== false) (globalThis as { Xrm?: Xrm.XrmStatic }).Xrm = xrm;

  const loadLibrary = scriptLoader(doc, clientUrl);
  return {
    xrm,
    webApi,
    user,
    organization,
    clientUrl,
    document: doc,
    dialogs,
    progress,
    notifications,
    loadLibrary,
    readRibbons: (xml) => xml.map((x) => readRibbonDiff(x, user.languageId)),
    createGrid: (o) => new GridControl(o),
    createForm: (o) => createForm({ ...o, webApi, notifications: notificationArea(doc, o.notificationContainer, `${o.entityName} notifications`) }),
    createCommandBar: (o) =>
      new CommandBar({
        document: doc,
        container: o.container,
        ribbons: o.ribbons,
        context: o.context,
        privileges: user.privileges,
        userLcid: user.languageId,
        orgLcid: baseLanguageId,
        orgName: organization.uniqueName,
        loadLibrary,
        ruleTimeoutMs: o.ruleTimeoutMs,
      }),
  };
}

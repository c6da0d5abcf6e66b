/**
 * The Xrm of the jest tests: xrm-mock's object model (grid/form contexts, Navigation, App, Utility, userSettings) with
 * `Xrm.WebApi` replaced by the sandbox's real Web API client talking to a real local Dataverse over HTTP through a
 * counting fetch. Dialog answers are scripted per test; the RESX strings are the generated RESX file, read as
 * getResourceString reads them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { XrmMockGenerator } from 'xrm-mock';
import { applicationToken, BRIDGE_APP_ID, SANDBOX_USER_ID, startDataverse, type RunningDataverse, type StartOptions } from '@pfb/sandbox';
import { createWebApi, type SandboxWebApi } from '../../../sandbox/xrm/src/webApi/webApi';
import { parseResx } from '../../../sandbox/xrm/src/context/resources';
import { countingFetch, type CountingFetch } from './countingFetch';
import { resetEnableRules } from '../../src/commands/commands';

export const RESX_FILE = path.resolve(__dirname, '../../strings/ribbon.1033.resx');

export interface Harness {
  readonly dv: RunningDataverse;
  readonly webApi: SandboxWebApi;
  readonly http: CountingFetch;
  readonly xrm: Xrm.XrmStatic;
  /** What the user was asked or told, in order. */
  readonly dialogs: { kind: 'alert' | 'confirm'; title?: string; text: string; confirmLabel?: string; cancelLabel?: string }[];
  readonly notifications: { level: number; message: string }[];
  readonly progress: string[];
  /** How the next confirm dialogs are answered (default: confirm). */
  answers: boolean[];
  /** Runs while a confirm dialog is open, before it is answered (e.g. someone else changes data meanwhile). */
  whileConfirmOpen?: () => void | Promise<void>;
  /** Requests Dataverse counted for the user since `mark()`. */
  counted(): number;
  mark(): void;
  privileges: string[] | null;
  close(): Promise<void>;
}

export async function startHarness(options: StartOptions): Promise<Harness> {
  const dv = await startDataverse({ limits: null, ...options });
  const http = countingFetch();
  const webApi = await createWebApi({ serviceRoot: dv.url, fetch: http.fetch, headers: { Authorization: 'Bearer coordinator-session' } });
  const resx = parseResx(fs.readFileSync(RESX_FILE, 'utf8'));
  let baseline = 0;
  const counted = (): number => dv.server.stats.byUser.get(SANDBOX_USER_ID) ?? 0;

  const harness: Harness = {
    dv,
    webApi,
    http,
    xrm: undefined as unknown as Xrm.XrmStatic,
    dialogs: [],
    notifications: [],
    progress: [],
    answers: [],
    privileges: null,
    counted: () => counted() - baseline,
    mark: () => {
      baseline = counted();
      http.reset();
    },
    close: () => dv.close(),
  };
  reset(harness, resx);
  return harness;
}

/** A fresh xrm-mock Xrm wired to the harness (call in beforeEach: enable-rule caches start empty too). */
export function reset(h: Harness, resx: Map<string, string> = parseResx(fs.readFileSync(RESX_FILE, 'utf8'))): void {
  const xrm = XrmMockGenerator.initialise() as unknown as Xrm.XrmStatic;
  (h as { xrm: Xrm.XrmStatic }).xrm = xrm;
  (xrm as { WebApi: Xrm.WebApi }).WebApi = h.webApi;
  const settings = XrmMockGenerator.context.userSettings as unknown as Record<string, unknown>;
  settings['userId'] = `{${SANDBOX_USER_ID.toUpperCase()}}`;
  settings['languageId'] = 1033;
  settings['getSecurityRolePrivilegesInfo'] = async () =>
    Object.fromEntries((h.privileges ?? []).map((name, i) => [`0000000${i}-0000-0000-0000-000000000000`, { id: String(i), businessUnitId: '', privilegeName: name, depth: 3 }]));
  const utility = xrm.Utility as unknown as Record<string, unknown>;
  utility['showProgressIndicator'] = (message: string) => void h.progress.push(message);
  utility['closeProgressIndicator'] = () => void h.progress.push('(closed)');
  utility['getResourceString'] = (name: string, key: string) => {
    if (name !== 'pfb_/strings/ribbon') throw new Error(`${name} does not exist.`);
    return resx.get(key) ?? null;
  };
  const navigation = xrm.Navigation as unknown as Record<string, unknown>;
  navigation['openAlertDialog'] = async (s: { title?: string; text: string; confirmButtonLabel?: string }) => {
    h.dialogs.push({ kind: 'alert', title: s.title, text: s.text, confirmLabel: s.confirmButtonLabel });
  };
  navigation['openConfirmDialog'] = async (s: { title?: string; text: string; confirmButtonLabel?: string; cancelButtonLabel?: string }) => {
    h.dialogs.push({ kind: 'confirm', title: s.title, text: s.text, confirmLabel: s.confirmButtonLabel, cancelLabel: s.cancelButtonLabel });
    await h.whileConfirmOpen?.();
    return { confirmed: h.answers.length ? (h.answers.shift() as boolean) : true };
  };
  const app = xrm.App as unknown as Record<string, unknown>;
  app['addGlobalNotification'] = async (n: { level: number; message: string }) => {
    h.notifications.push({ level: n.level, message: n.message });
    return String(h.notifications.length);
  };
  h.dialogs.splice(0);
  h.notifications.splice(0);
  h.progress.splice(0);
  h.answers = [];
  h.whileConfirmOpen = undefined;
  h.privileges = null;
  resetEnableRules();
}

export type Row = Record<string, unknown>;

/**
 * Checks read Dataverse as another user (the bridge's application user, by its token's appid claim), so they never
 * count toward the coordinator's requests the tests measure.
 */
const CHECKER_TOKEN = applicationToken(BRIDGE_APP_ID);

export async function rows(h: Harness, entitySet: string, query: string): Promise<Row[]> {
  const res = await fetch(`${h.dv.url}/${entitySet}?${query}`, { headers: { Authorization: `Bearer ${CHECKER_TOKEN}`, Accept: 'application/json' } });
  if (!res.ok) throw new Error(`${entitySet}?${query}: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { value: Row[] }).value;
}

/**
 * The sandbox app page in chromium, for the ribbon tests: the web resources built from source, the sandbox Xrm bundle,
 * the RibbonDiffXml files and the page (fixtures/app.html) served by the sandbox origin beside a local Dataverse.
 * Requests the page sends to the Web API are recorded from the browser's side (playwright's request events).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startOriginServer, type RunningOrigin } from '../../sandbox/origin/originServer';
import { buildSandboxXrm } from '../../sandbox/xrm/src/build';
import { bundleWebResources } from '../../webresources/scripts/bundle';
import { RIBBON_DIR } from '../../webresources/scripts/generate';

export const FIXTURES = path.join(__dirname, 'fixtures');

/** Builds what the page serves into a temporary folder (about half a second); returns it and a cleanup. */
export async function buildPageAssets(): Promise<{ webResources: string; sandbox: string; remove(): void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pfb-ribbon-'));
  const webResources = path.join(dir, 'WebResources');
  await bundleWebResources({ distDir: webResources, mapsDir: path.join(dir, 'maps') });
  const sandbox = path.join(dir, 'sandbox');
  await buildSandboxXrm(path.join(sandbox, 'xrm.js'));
  return { webResources, sandbox, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The origin serves the web resources built from source here rather than forwarding /WebResources/ to the local
 * Dataverse (which serves imported solution rows): this test is about the commands, not the packaging.
 */
export function startAppOrigin(dataverseUrl: string, assets: { webResources: string; sandbox: string }): Promise<RunningOrigin> {
  return startOriginServer({
    dataverseUrl,
    forward: ['/api/'],
    staticRoots: { '/WebResources/': assets.webResources, '/sandbox/': assets.sandbox, '/ribbon/': RIBBON_DIR, '/': FIXTURES },
  });
}

export interface PageConfig {
  readonly page?: 'grid' | 'form';
  readonly entity?: string;
  readonly id?: string;
  readonly filter?: string;
  readonly user?: { readonly privileges?: readonly string[] | 'all' };
}

export interface ButtonState {
  readonly id: string;
  readonly label: string;
  readonly visible: boolean;
  readonly enabled: boolean;
}

/** What the page exposes as `window.app` (typed for the tests; the page is plain script). */
interface AppWindow {
  app?: {
    ready: boolean;
    page: {
      commandBar: { settled(): Promise<void>; buttonStates(): ButtonState[] };
      grid?: { loads: number; rows(): { id: string; name: string }[] };
      form?: { formContext: { data: { refresh(save?: boolean): Promise<void> }; ui: { refreshRibbon(): void } } };
      subgrids?: Map<string, { grid: { loads: number }; commandBar: { settled(): Promise<void>; buttonStates(): ButtonState[] } }>;
    };
  };
  appError?: string;
}

export interface AppPage {
  readonly page: Page;
  /** Web API requests the page sent since the last `track()`: `METHOD path` (after /api/data/v9.2/, query cut). */
  sent(): string[];
  track(): void;
  settled(): Promise<void>;
  buttons(): Promise<ButtonState[]>;
  gridLoads(): Promise<number>;
  close(): Promise<void>;
}

export async function openApp(browser: Browser, originUrl: string, config: PageConfig): Promise<AppPage> {
  // A context of its own per page (a fresh session; axe needs pages made this way).
  const context = await browser.newContext();
  const page = await context.newPage();
  const requests: string[] = [];
  let tracking = false;
  page.on('request', (r) => {
    const url = r.url();
    if (tracking && url.includes('/api/data/v9.2/')) requests.push(`${r.method()} ${url.replace(/^.*\/api\/data\/v9\.2\//, '').replace(/\?.*$/, '')}`);
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${originUrl}/app.html?config=${encodeURIComponent(JSON.stringify(config))}`);
  await page.waitForFunction(() => {
    const w = globalThis as unknown as AppWindow;
    return w.app?.ready === true || w.appError !== undefined;
  }, null, { timeout: 20_000 });
  const failure = await page.evaluate(() => (globalThis as unknown as AppWindow).appError);
  if (failure) throw new Error(`The app page did not start: ${failure}`);
  if (errors.length) throw new Error(`The app page threw: ${errors.join('\n')}`);
  return {
    page,
    sent: () => [...requests],
    track: () => {
      requests.splice(0);
      tracking = true;
    },
    settled: () =>
      page.evaluate(async () => {
        const p = (globalThis as unknown as AppWindow).app?.page;
        await p?.commandBar.settled();
        for (const s of p?.subgrids?.values() ?? []) await s.commandBar.settled();
      }),
    buttons: () =>
      page.evaluate(() => {
        const p = (globalThis as unknown as AppWindow).app?.page;
        return [...(p?.commandBar.buttonStates() ?? []), ...[...(p?.subgrids?.values() ?? [])].flatMap((s) => s.commandBar.buttonStates())];
      }),
    gridLoads: () =>
      page.evaluate(() => {
        const p = (globalThis as unknown as AppWindow).app?.page;
        return (p?.grid?.loads ?? 0) + [...(p?.subgrids?.values() ?? [])].reduce((n, s) => n + s.grid.loads, 0);
      }),
    close: () => context.close(),
  };
}

/** What the form's Refresh does: reload the record, then the command bar. */
export async function refreshForm(app: AppPage): Promise<void> {
  await app.page.evaluate(async () => {
    const form = (globalThis as unknown as AppWindow).app?.page.form?.formContext;
    await form?.data.refresh(false);
    form?.ui.refreshRibbon();
  });
}

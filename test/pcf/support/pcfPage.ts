/**
 * The browser side of the PCF tests and benchmarks: the production bundles (built when stale), the PCF host's
 * scripts, and an origin on 127.0.0.1 that serves them beside the local Dataverse's Web API (/api/ forwarded), so the
 * controls' context.webAPI reaches the real server exactly as in a model-driven app.
 */
import type http from 'node:http';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startOriginServer, type RunningOrigin } from '../../../sandbox/origin/originServer';
import { buildPcfHostAssets, pcfControlsRoot, pcfHostRoutes } from '../../../sandbox/pcfhost';
import { ensurePcfBuilt } from '../../../pcf/scripts/ensureBuilt';

export const PAGES_DIR = path.join(__dirname, '..', 'pages');

export interface PcfOriginOptions {
  readonly dataverseUrl: string;
  /**
   * Extra routes. Web resources (/WebResources/…) are otherwise the local Dataverse's (the origin forwards them);
   * a route under /WebResources/ replaces that, as a test stand-in.
   */
  readonly routes?: Readonly<Record<string, http.RequestListener>>;
  readonly sessionToken?: string;
}

export async function startPcfOrigin(options: PcfOriginOptions): Promise<RunningOrigin> {
  await ensurePcfBuilt((s) => console.log(s));
  const assets = await buildPcfHostAssets();
  return startOriginServer({
    dataverseUrl: options.dataverseUrl,
    staticRoots: { ...pcfControlsRoot(), '/pages/': PAGES_DIR },
    routes: { ...pcfHostRoutes(assets), ...options.routes },
    forward: Object.keys(options.routes ?? {}).some((r) => r.startsWith('/WebResources/')) ? ['/api/'] : ['/api/', '/WebResources/'],
    sessionToken: options.sessionToken,
  });
}

/** What the page's mountControl gets (serialisable: the element and callbacks are added in the page). */
export interface PageMountOptions {
  readonly control: 'WbsWorkOrderGrid' | 'BookingProgressPanel';
  readonly width: number;
  readonly height: number;
  readonly record?: { entityName: string; entityId: string; recordName?: string };
  readonly parameters?: Record<string, unknown>;
  readonly datasets?: Record<string, unknown>;
}

/**
 * Mounts a control into the host page's #root (sized as given) and keeps the handle as `window.__mounted`; every
 * updateView is recorded in `window.__renders`, every Web API request in `window.__requests`.
 */
export async function mountInPage(page: Page, options: PageMountOptions): Promise<void> {
  await page.evaluate(async (o) => {
    const w = window as unknown as Record<string, unknown> & { PfbPcfHost: { mountControl(x: unknown): Promise<unknown> } };
    const root = document.getElementById('root') as HTMLElement;
    root.style.width = `${o.width}px`;
    root.style.height = `${o.height}px`;
    const renders: unknown[] = [];
    const requests: unknown[] = [];
    w['__renders'] = renders;
    w['__requests'] = requests;
    w['__mounted'] = await w.PfbPcfHost.mountControl({
      element: root,
      controlUrl: `/controls/${o.control}/`,
      width: o.width,
      height: o.height,
      record: o.record,
      parameters: o.parameters,
      datasets: o.datasets,
      onRender: (info: unknown) => renders.push(info),
      onRequest: (entry: unknown) => requests.push(entry),
    });
  }, options);
}

/** Unmounts the control in the page (destroy + unmount), leaving the page for the next mount. */
export async function unmountInPage(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __mounted?: { unmount(): void } };
    w.__mounted?.unmount();
    w.__mounted = undefined;
  });
}

/**
 * A new page (in its own browser context, as @axe-core/playwright wants) on the origin's host page. Functions passed
 * to page.evaluate from code run by tsx carry esbuild's `__name(...)` helper: the page gets a no-op one.
 */
export async function openHostPage(browser: Browser, originUrl: string, viewport = { width: 1440, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.addInitScript({ content: 'window.__name = function (f) { return f; };' });
  page.on('pageerror', (e) => console.error('[page]', e.message));
  await page.goto(`${originUrl}/pages/host.html`);
  return { context, page };
}

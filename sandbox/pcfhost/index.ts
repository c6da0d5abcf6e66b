/**
 * The sandbox's PCF host: runs the controls' production bundles in a browser page on 127.0.0.1 with a PCF context
 * backed by the local Dataverse's Web API (through the page's origin), as a model-driven app runs them. Used by the
 * browser tests, the benchmarks and the sandbox's app shell. See README.md.
 *
 * Node side: `pcfHostRoutes()` gives the origin server the two scripts; `pcfControlsRoot()` the controls' build output.
 * Browser side: load `/pcfhost/vendor.js`, then `/pcfhost/host.js`, then `PfbPcfHost.mountControl({...})`.
 */
import type http from 'node:http';
import { PCF_CONTROLS, PCF_OUT_DIR } from '../../pcf/controls';
import { buildPcfHostAssets, type PcfHostAssets } from './build';

export { buildPcfHostAssets, type PcfHostAssets };

export const PCF_HOST_BASE = '/pcfhost/';
export const PCF_CONTROLS_BASE = '/controls/';

/** Routes for the origin server (`startOriginServer({ routes })`): /pcfhost/vendor.js and /pcfhost/host.js. */
export function pcfHostRoutes(assets: PcfHostAssets): Record<string, http.RequestListener> {
  const js = (body: string): http.RequestListener => (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body);
  };
  return { [`${PCF_HOST_BASE}vendor.js`]: js(assets.vendorJs), [`${PCF_HOST_BASE}host.js`]: js(assets.hostJs) };
}

/** Static root for the origin server: the controls' build output under /controls/<Control>/. */
export function pcfControlsRoot(): Record<string, string> {
  return { [PCF_CONTROLS_BASE]: PCF_OUT_DIR };
}

/** URL of a control's build folder on the origin. */
export function controlUrl(name: string): string {
  if (!PCF_CONTROLS.some((c) => c.name === name)) throw new Error(`No PCF control named ${name}`);
  return `${PCF_CONTROLS_BASE}${name}/`;
}

export type { MountOptions, MountedControl, RenderInfo, DatasetOptions, NavigationEvent, RecordInfo } from './runtime/mount';

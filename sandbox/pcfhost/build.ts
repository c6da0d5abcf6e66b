/**
 * Builds the PCF host's two browser scripts in memory with esbuild (production, minified):
 * - vendor.js: React 16.14.0, ReactDOM and Fluent UI v9 from node_modules, exposed under the globals pcf-scripts maps
 *   the platform libraries to (read from pcf-scripts' own table, so they always match the bundles);
 * - host.js: the host runtime (`window.PfbPcfHost.mountControl`), which takes React/ReactDOM/Fluent from vendor.js.
 */
import path from 'node:path';
import { build, type BuildOptions, type BuildResult, type Plugin } from 'esbuild';
import { platformGlobals, type PlatformGlobals } from '../../pcf/scripts/platformLibraries';

export interface PcfHostAssets {
  readonly vendorJs: string;
  readonly hostJs: string;
  readonly globals: PlatformGlobals;
}

const RUNTIME = path.join(__dirname, 'runtime');
const REPO = path.resolve(__dirname, '../..');

/** In host.js, the platform libraries come from vendor.js (one React on the page, as in an app). */
const fromVendor: Plugin = {
  name: 'platform-libraries-from-vendor',
  setup(b) {
    const libs: Record<string, string> = { react: 'React', 'react-dom': 'ReactDOM', '@fluentui/react-components': 'Fluent' };
    b.onResolve({ filter: /^(react|react-dom|@fluentui\/react-components)$/ }, (args) => ({ path: args.path, namespace: 'vendor-global' }));
    b.onLoad({ filter: /.*/, namespace: 'vendor-global' }, (args) => ({
      contents: `module.exports = window.PfbPcfHostVendor.${libs[args.path]};`,
      loader: 'js',
    }));
  },
};

export async function buildPcfHostAssets(): Promise<PcfHostAssets> {
  const globals = platformGlobals();
  const common: BuildOptions = {
    bundle: true,
    minify: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    absWorkingDir: REPO,
    logLevel: 'silent',
  };
  const production = { 'process.env.NODE_ENV': '"production"' };
  const [vendor, host] = await Promise.all([
    build({
      ...common,
      entryPoints: [path.join(RUNTIME, 'vendor.ts')],
      define: { ...production, __REACT_GLOBAL__: JSON.stringify(globals.react), __FLUENT_GLOBAL__: JSON.stringify(globals.fluent) },
    }),
    build({ ...common, entryPoints: [path.join(RUNTIME, 'host.ts')], define: production, plugins: [fromVendor] }),
  ]);
  const text = (r: BuildResult): string => r.outputFiles?.[0]?.text ?? '';
  return { vendorJs: text(vendor), hostJs: text(host), globals };
}

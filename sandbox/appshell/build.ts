/**
 * Builds the app shell's browser scripts with esbuild into one folder (git-ignored; `npm start` builds it before the
 * shell is served, about a second):
 *   shell.js            the shell's pages (src/main.ts)
 *   xrm.js              the sandbox's Xrm (sandbox/xrm, its own build helper): window.SandboxXrm
 *   pcfhost/vendor.js   React 16.14.0, ReactDOM and Fluent 9.46.2 as the platform provides them to virtual controls
 *   pcfhost/host.js     the sandbox's PCF host (sandbox/pcfhost): window.PfbPcfHost
 * The controls' production bundles are served as pcf-scripts built them (pcf/out/controls), never rebuilt here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { buildPcfHostAssets } from '../pcfhost/build';
import { buildSandboxXrm } from '../xrm/src/build';

export const APP_SHELL_DIR = __dirname;
/** Where `npm start` builds the scripts. */
export const APP_SHELL_DIST = path.join(__dirname, 'dist');
export const APP_SHELL_PUBLIC = path.join(__dirname, 'public');

/** The built files, relative to the output folder. */
export const APP_SHELL_FILES = ['shell.js', 'xrm.js', path.join('pcfhost', 'vendor.js'), path.join('pcfhost', 'host.js')] as const;

export async function buildAppShell(outDir: string = APP_SHELL_DIST): Promise<string[]> {
  fs.mkdirSync(path.join(outDir, 'pcfhost'), { recursive: true });
  const [shell, , pcfhost] = await Promise.all([
    build({
      entryPoints: [path.join(__dirname, 'src', 'main.ts')],
      outfile: path.join(outDir, 'shell.js'),
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: ['es2020'],
      sourcemap: 'inline',
      logLevel: 'silent',
    }),
    buildSandboxXrm(path.join(outDir, 'xrm.js')),
    buildPcfHostAssets(),
  ]);
  if (shell.errors.length) throw new Error(`The app shell bundle failed: ${shell.errors.map((e) => e.text).join('; ')}`);
  if (!pcfhost.vendorJs || !pcfhost.hostJs) throw new Error('The PCF host scripts came out empty.');
  fs.writeFileSync(path.join(outDir, 'pcfhost', 'vendor.js'), pcfhost.vendorJs);
  fs.writeFileSync(path.join(outDir, 'pcfhost', 'host.js'), pcfhost.hostJs);
  return APP_SHELL_FILES.map((f) => path.join(outDir, f));
}

/**
 * Bundles the sandbox Xrm for a page (one IIFE defining `window.SandboxXrm`). Tests and the sandbox shell call this
 * before serving the page; it takes about 100 ms.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

export const SANDBOX_XRM_ENTRY = path.join(__dirname, 'browser.ts');

export async function buildSandboxXrm(outfile: string): Promise<string> {
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  const result = await build({
    entryPoints: [SANDBOX_XRM_ENTRY],
    outfile,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  if (result.errors.length) throw new Error(`The sandbox Xrm bundle failed: ${result.errors.map((e) => e.text).join('; ')}`);
  return outfile;
}

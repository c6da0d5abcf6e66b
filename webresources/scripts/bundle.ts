/**
 * One esbuild bundle per script web resource (SCRIPT_ENTRIES), minified, as an IIFE that registers the global
 * `ProjectFieldBridge` namespace (the ribbon calls functions by that name; a web resource has no module loader).
 * Source maps go to dist-maps/, outside dist/, with no sourceMappingURL comment: they never reach the solution.
 * The RESX files are copied into dist/ under their web resource names, so dist/ is the complete web resource tree.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build, type Message } from 'esbuild';
import { SCRIPT_ENTRIES, WEB_RESOURCES } from '../src/webResources';
import { STRINGS_DIR, WEBRESOURCES_DIR } from './generate';

export const DIST_DIR = path.join(WEBRESOURCES_DIR, 'dist');
export const MAPS_DIR = path.join(WEBRESOURCES_DIR, 'dist-maps');

export class BuildFailed extends Error {
  constructor(readonly messages: readonly string[]) {
    super(`The web resource build failed:\n${messages.map((m) => `  - ${m}`).join('\n')}`);
    this.name = 'BuildFailed';
  }
}

const describe = (m: Message): string => (m.location ? `${m.location.file}:${m.location.line}:${m.location.column} ${m.text}` : m.text);

export interface BundleResult {
  readonly name: string;
  readonly file: string;
  readonly bytes: number;
}

export interface BundleOptions {
  readonly distDir?: string;
  readonly mapsDir?: string;
  /** Web resource name → entry file (relative to src/); SCRIPT_ENTRIES by default. */
  readonly entries?: Readonly<Record<string, string>>;
}

export async function bundleWebResources(options: BundleOptions = {}): Promise<BundleResult[]> {
  const distDir = options.distDir ?? DIST_DIR;
  const mapsDir = options.mapsDir ?? MAPS_DIR;
  const entries = options.entries ?? SCRIPT_ENTRIES;
  const results: BundleResult[] = [];
  for (const [name, entry] of Object.entries(entries)) {
    const outfile = path.join(distDir, name);
    const result = await build({
      entryPoints: [path.isAbsolute(entry) ? entry : path.join(WEBRESOURCES_DIR, 'src', entry)],
      outfile,
      bundle: true,
      minify: true,
      format: 'iife',
      platform: 'browser',
      // Model-driven apps run in current Edge, Chrome, Safari and Firefox.
      target: ['es2020'],
      sourcemap: 'external',
      legalComments: 'none',
      charset: 'utf8',
      write: false,
      logLevel: 'silent',
    }).catch((e: { errors?: Message[] }) => {
      throw new BuildFailed(e.errors?.length ? e.errors.map(describe) : [String(e)]);
    });
    if (result.errors.length || result.warnings.length) throw new BuildFailed([...result.errors, ...result.warnings].map(describe));
    for (const out of result.outputFiles) {
      const target = out.path.endsWith('.map') ? path.join(mapsDir, path.relative(distDir, out.path)) : out.path;
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, out.contents);
      if (!out.path.endsWith('.map')) results.push({ name, file: target, bytes: out.contents.length });
    }
  }
  // Non-script web resources (RESX) are copied from their generated source.
  for (const resource of WEB_RESOURCES.filter((r) => !SCRIPT_ENTRIES[r.name])) {
    const source = path.join(STRINGS_DIR, path.basename(resource.file));
    if (!fs.existsSync(source)) throw new BuildFailed([`${resource.name}: ${source} does not exist (the generator did not write it)`]);
    const target = path.join(distDir, resource.file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(source, target);
    results.push({ name: resource.name, file: target, bytes: fs.statSync(target).size });
  }
  return results;
}

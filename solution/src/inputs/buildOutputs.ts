/**
 * The ONE place the packer reads what other workspaces build: web resource bundles and their name→file map
 * (webresources/, issue 6), ribbon RibbonDiffXml per table (webresources/ribbon/), and compiled PCF controls
 * (pcf/out/controls/<Constructor>/, issue 7). Pack time maps them into the solution, as `pac solution pack --map`
 * does with a mapping file. When their layout changes, change LOCATIONS or the readers below — nothing else.
 *
 * Modes: `strict` (npm run pack) refuses to build a package with anything missing, and says which file and which
 * command builds it; `available` (the local Dataverse, tests) takes what exists and reports the rest; `none` takes
 * nothing (a package of tables, roles, steps and variables only).
 */
import fs from 'node:fs';
import path from 'node:path';
import { CONTROLS, DEFAULT_WEB_RESOURCES, webResource, type ControlDefinition, type WebResourceDefinition } from '../definition/clientComponents';

export type BuildOutputMode = 'strict' | 'available' | 'none';

export interface BuildOutputLocations {
  /** Folder of the web resource bundles, laid out by web resource name (dist/pfb_/scripts/commands.js). */
  readonly webResourcesDist: string;
  /** Module exporting the name→file map (WEB_RESOURCES), optional. */
  readonly webResourceMapModule: string;
  /** Folder of `<table>.RibbonDiff.xml` files. */
  readonly ribbonDir: string;
  /** Folder of `<Constructor>/` control outputs (ControlManifest.xml, bundle.js, strings/*.resx). */
  readonly controlsDir: string;
}

export const REPO_ROOT = path.resolve(__dirname, '../../..');

export const LOCATIONS: BuildOutputLocations = {
  webResourcesDist: path.join(REPO_ROOT, 'webresources/dist'),
  webResourceMapModule: path.join(REPO_ROOT, 'webresources/src/webResources.ts'),
  ribbonDir: path.join(REPO_ROOT, 'webresources/ribbon'),
  controlsDir: path.join(REPO_ROOT, 'pcf/out/controls'),
};

const BUILD_ALL = 'run npm run build (or npm run build -w @pfb/webresources / -w @pfb/pcf) first';

/** A build output the package needs is not there (strict mode). */
export class BuildOutputMissing extends Error {
  constructor(readonly missing: readonly string[]) {
    super(`The package needs build outputs that are missing; ${BUILD_ALL}:\n${missing.map((m) => `  - ${m}`).join('\n')}`);
    this.name = 'BuildOutputMissing';
  }
}

export interface WebResourceInput {
  readonly definition: WebResourceDefinition;
  readonly file: string;
}

interface MapEntry {
  name: string;
  file: string;
  displayName?: string;
  description?: string;
  dependencies?: string[];
}

/**
 * The web resource map module (webresources/src/webResources.ts), when it exists: an exported `WEB_RESOURCES` (or
 * `webResources` / default) that is either an array of `{ name, file, displayName?, description?, dependencies? }`
 * or a record name → file. Files are relative to the dist folder unless absolute.
 */
function readMapModule(locations: BuildOutputLocations): MapEntry[] | undefined {
  if (!fs.existsSync(locations.webResourceMapModule)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(locations.webResourceMapModule) as Record<string, unknown>;
  const exported = mod['WEB_RESOURCES'] ?? mod['webResources'] ?? mod['default'];
  const entries: MapEntry[] = [];
  if (Array.isArray(exported)) {
    for (const e of exported as Array<Record<string, unknown>>) {
      const name = e['name'];
      const file = e['file'] ?? e['path'];
      if (typeof name !== 'string' || typeof file !== 'string') throw new Error(`${locations.webResourceMapModule}: every WEB_RESOURCES entry needs a string name and file`);
      const deps = e['dependencies'];
      if (deps !== undefined && !(Array.isArray(deps) && deps.every((d) => typeof d === 'string'))) throw new Error(`${locations.webResourceMapModule}: ${name}.dependencies must be web resource names`);
      entries.push({
        name,
        file,
        displayName: typeof e['displayName'] === 'string' ? e['displayName'] : undefined,
        description: typeof e['description'] === 'string' ? e['description'] : undefined,
        dependencies: deps as string[] | undefined,
      });
    }
  } else if (exported && typeof exported === 'object') {
    for (const [name, file] of Object.entries(exported as Record<string, unknown>)) {
      if (typeof file !== 'string') throw new Error(`${locations.webResourceMapModule}: WEB_RESOURCES['${name}'] must be a file path`);
      entries.push({ name, file });
    }
  } else {
    throw new Error(`${locations.webResourceMapModule} exists but exports no WEB_RESOURCES (an array of { name, file } or a record name → file)`);
  }
  return entries;
}

/** The web resources the package carries and where each is built. */
export function webResourceInputs(locations: BuildOutputLocations = LOCATIONS): WebResourceInput[] {
  const mapped = readMapModule(locations);
  if (!mapped) return DEFAULT_WEB_RESOURCES.map((definition) => ({ definition, file: path.join(locations.webResourcesDist, definition.name) }));
  return mapped.map((e) => {
    const known = DEFAULT_WEB_RESOURCES.find((d) => d.name === e.name);
    const definition = webResource(e.name, e.displayName ?? known?.displayName ?? e.name, e.description ?? known?.description ?? '', e.dependencies ?? []);
    return { definition, file: path.isAbsolute(e.file) ? e.file : path.join(locations.webResourcesDist, e.file) };
  });
}

export interface ControlInput {
  readonly definition: ControlDefinition;
  /** Files by path relative to the control folder (ControlManifest.xml, bundle.js, strings/<Control>.1033.resx). */
  readonly files: ReadonlyMap<string, Buffer>;
}

function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full, base));
    else if (entry.isFile()) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out;
}

export interface BuildOutputs {
  readonly webResources: ReadonlyMap<string, Buffer>;
  /** RibbonDiffXml text by table logical name. */
  readonly ribbons: ReadonlyMap<string, string>;
  readonly controls: readonly ControlInput[];
  /** What was looked for and not found (always empty in strict mode, which throws instead). */
  readonly missing: readonly string[];
}

/** Reads everything the package maps in from other workspaces' builds. */
export function readBuildOutputs(
  mode: BuildOutputMode,
  ribbonTables: readonly string[],
  locations: BuildOutputLocations = LOCATIONS,
  controls: readonly ControlDefinition[] = CONTROLS,
): BuildOutputs {
  const webResources = new Map<string, Buffer>();
  const ribbons = new Map<string, string>();
  const controlInputs: ControlInput[] = [];
  const missing: string[] = [];
  if (mode === 'none') return { webResources, ribbons, controls: controlInputs, missing };

  for (const input of webResourceInputs(locations)) {
    if (fs.existsSync(input.file)) webResources.set(input.definition.name, fs.readFileSync(input.file));
    else missing.push(`web resource ${input.definition.name} missing: ${input.file} (npm run build -w @pfb/webresources)`);
  }
  for (const table of ribbonTables) {
    const file = path.join(locations.ribbonDir, `${table}.RibbonDiff.xml`);
    if (fs.existsSync(file)) ribbons.set(table, fs.readFileSync(file, 'utf8'));
    else missing.push(`ribbon of ${table} missing: ${file} (npm run build -w @pfb/webresources)`);
  }
  if (fs.existsSync(locations.ribbonDir)) {
    for (const f of fs.readdirSync(locations.ribbonDir).sort()) {
      const table = /^(.+)\.RibbonDiff\.xml$/.exec(f)?.[1];
      if (table && !ribbonTables.includes(table)) missing.push(`ribbon ${path.join(locations.ribbonDir, f)} is for ${table}, which the solution does not list in RIBBON_TABLES (solution/src/definition/tables.ts)`);
    }
  }
  for (const definition of controls) {
    const dir = path.join(locations.controlsDir, definition.constructorName);
    const manifest = path.join(dir, 'ControlManifest.xml');
    if (!fs.existsSync(manifest)) {
      missing.push(`control ${definition.name} missing: ${manifest} (npm run build -w @pfb/pcf)`);
      continue;
    }
    const files = new Map<string, Buffer>();
    for (const rel of listFiles(dir)) files.set(rel, fs.readFileSync(path.join(dir, rel)));
    if (!files.has('bundle.js')) {
      missing.push(`control ${definition.name} has no bundle.js in ${dir}: the PCF build failed (pcf-scripts exits 0 on failure; npm run build -w @pfb/pcf)`);
      continue;
    }
    controlInputs.push({ definition, files });
  }
  if (mode === 'strict' && missing.length) throw new BuildOutputMissing(missing);
  return { webResources, ribbons, controls: controlInputs, missing };
}

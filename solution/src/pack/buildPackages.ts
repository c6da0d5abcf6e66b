/**
 * The whole build of the solution, shared by `npm run pack`, `npm run solution:check`, the local Dataverse (which
 * imports the package when it starts) and the tests: resolve the contents, take the unpacked source (the committed
 * solution/unpacked/, or freshly generated), map in the other workspaces' build outputs, pack unmanaged and managed.
 */
import { readBuildOutputs, type BuildOutputLocations, type BuildOutputMode, type BuildOutputs } from '../inputs/buildOutputs';
import { generateSource, solutionContents, type ContentsOptions, type SolutionContents } from '../unpacked/generateSource';
import { diffTrees, readSourceTree, UNPACKED_DIR } from '../unpacked/sourceTree';
import { packSolution, type PackedSolution } from './packSolution';

export interface BuildOptions extends ContentsOptions {
  readonly mode: BuildOutputMode;
  /** `committed` packs solution/unpacked/ (and reports how it differs from the definitions); `generated` packs the definitions directly. */
  readonly source?: 'committed' | 'generated';
  readonly unpackedDir?: string;
  readonly locations?: BuildOutputLocations;
}

export interface BuildResult {
  readonly contents: SolutionContents;
  readonly source: ReadonlyMap<string, string>;
  /** How the committed source differs from what the definitions generate (empty for `generated`). */
  readonly drift: readonly string[];
  readonly outputs: BuildOutputs;
  readonly unmanaged: PackedSolution;
  readonly managed: PackedSolution;
}

export function buildPackages(options: BuildOptions): BuildResult {
  const contents = solutionContents(options);
  const generated = generateSource(contents);
  const source = options.source === 'committed' ? readSourceTree(options.unpackedDir ?? UNPACKED_DIR) : generated;
  const drift = options.source === 'committed' ? diffTrees(generated, source) : [];
  const outputs = readBuildOutputs(options.mode, contents.tables.filter((t) => t.ribbon).map((t) => t.table.logicalName), options.locations);
  return {
    contents,
    source,
    drift,
    outputs,
    unmanaged: packSolution({ source, outputs, managed: false }),
    managed: packSolution({ source, outputs, managed: true }),
  };
}

/** What the local Dataverse imports. */
export type PackageComponents = 'full' | 'without-webhooks' | 'schema';

/**
 * The unmanaged zip built straight from the definitions, for importing: `full` is the product's package; `without-
 * webhooks` leaves out the endpoints and steps (their URL is a placeholder until setup runs); `schema` carries only
 * tables, columns, keys, relationships and choices. Memoized per process and options: the definitions do not change
 * while it runs, and build outputs are read once.
 */
const cache = new Map<string, Uint8Array>();
export function solutionPackage(components: PackageComponents = 'full', outputs: BuildOutputMode = 'available', locations?: BuildOutputLocations): Uint8Array {
  const key = `${components}:${outputs}:${locations ? JSON.stringify(locations) : ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const built = buildPackages({ mode: components === 'schema' ? 'none' : outputs, source: 'generated', withoutWebhooks: components !== 'full', schemaOnly: components === 'schema', locations });
  cache.set(key, built.unmanaged.zip);
  return built.unmanaged.zip;
}


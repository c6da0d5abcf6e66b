/**
 * The globals under which the platform provides React and Fluent to virtual controls, as pcf-scripts maps them
 * (its PlatformLibraryVersions.json: the declared version picks an entry, whose libAlias is the global the bundle reads).
 * The sandbox's PCF host defines the same globals, so the production bundle runs there unchanged.
 */
import fs from 'node:fs';
import path from 'node:path';

interface LibraryVersion {
  readonly minVersion: string;
  readonly maxVersion: string;
  readonly platformVersion: string;
  readonly libAlias: string;
}

export interface PlatformGlobals {
  readonly react: string;
  readonly fluent: string;
}

/** React 16.14.0 and Fluent 9.46.2, as every control here declares them. */
export const DECLARED = { react: '16.14.0', fluent: '9.46.2' } as const;

const cmp = (a: string, b: string): number => {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
};

function pick(list: readonly LibraryVersion[] | undefined, version: string, what: string): string {
  const hit = (list ?? []).filter((v) => cmp(version, v.minVersion) >= 0 && cmp(version, v.maxVersion) <= 0).sort((a, b) => cmp(b.maxVersion, a.maxVersion))[0];
  if (!hit) throw new Error(`pcf-scripts supports no platform ${what} ${version}`);
  return hit.libAlias;
}

export function pcfScriptsDir(): string {
  return path.dirname(require.resolve('pcf-scripts/package.json', { paths: [path.resolve(__dirname, '..')] }));
}

export function platformGlobals(versions: { react: string; fluent: string } = DECLARED): PlatformGlobals {
  const file = path.join(pcfScriptsDir(), 'PlatformLibraryVersions.json');
  const table = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, LibraryVersion[]>;
  return { react: pick(table['react'], versions.react, 'React'), fluent: pick(table['fluent'], versions.fluent, 'Fluent') };
}

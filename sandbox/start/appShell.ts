/**
 * What the app shell serves, and the build outputs it needs: the shell's pages, the production PCF bundles (loaded as
 * the platform loads them) and the hosts that give them an `Xrm` and a PCF context over the local Dataverse. Web
 * resources are not here: the local Dataverse serves them from the imported solution at /WebResources/<name>.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './sandbox';

const at = (...parts: string[]): string => path.join(REPO_ROOT, ...parts);

export function appShellRoots(): Record<string, string> {
  return {
    '/': at('sandbox', 'appshell', 'public'),
    '/pcf/': at('pcf', 'out', 'controls'),
  };
}

/** Build outputs `npm start` needs, the first missing one named relative to the repository. */
export function missingBuildOutputs(): string[] {
  const needed = [
    at('webresources', 'dist', 'pfb_', 'scripts', 'commands.js'),
    at('pcf', 'out', 'controls', 'WbsWorkOrderGrid', 'bundle.js'),
    at('pcf', 'out', 'controls', 'BookingProgressPanel', 'bundle.js'),
  ];
  return needed.filter((f) => !fs.existsSync(f)).map((f) => path.relative(REPO_ROOT, f));
}

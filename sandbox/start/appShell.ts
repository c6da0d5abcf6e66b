/**
 * What the app shell serves, the build outputs it needs and its own routes: the shell's pages and scripts
 * (sandbox/appshell, built into a git-ignored folder by `npm start`), the production PCF bundles (loaded as the
 * platform loads them), the RibbonDiffXml its command bars are built from, and the technician page's routes to the
 * simulated technicians. Web resources are not here: the local Dataverse serves them from the imported solution at
 * /WebResources/<name>.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { isBuildFresh as pcfBuildIsFresh } from '../../pcf/scripts/ensureBuilt';
import { APP_SHELL_DIST, APP_SHELL_FILES, APP_SHELL_PUBLIC } from '../appshell/build';
import { technicianRoutes } from '../appshell/server/technicianRoutes';
import { REPO_ROOT, type AppShellParts } from './sandbox';

const at = (...parts: string[]): string => path.join(REPO_ROOT, ...parts);

/** URL prefix → folder. `shellDir` is where buildAppShell wrote the scripts (tests build into a folder of their own). */
export function appShellRoots(shellDir: string = APP_SHELL_DIST): Record<string, string> {
  return {
    '/': APP_SHELL_PUBLIC,
    '/shell/': shellDir,
    '/pcfhost/': path.join(shellDir, 'pcfhost'),
    // The sandbox's PCF host loads a control from /controls/<Control>/ (ControlManifest.xml, bundle.js, strings).
    '/controls/': at('pcf', 'out', 'controls'),
    '/ribbon/': at('webresources', 'ribbon'),
  };
}

/** The outputs of `npm run build` the sandbox needs (web resources, the solution's inputs, the PCF bundles). */
function projectOutputs(): string[] {
  return [
    at('webresources', 'dist', 'pfb_', 'scripts', 'commands.js'),
    at('pcf', 'out', 'controls', 'WbsWorkOrderGrid', 'bundle.js'),
    at('pcf', 'out', 'controls', 'BookingProgressPanel', 'bundle.js'),
  ];
}

const missing = (files: readonly string[]): string[] => files.filter((f) => !fs.existsSync(f)).map((f) => path.relative(REPO_ROOT, f));

/**
 * Build outputs the sandbox needs that are missing, named relative to the repository: `npm run build`'s, and the app
 * shell's scripts (in `shellDir`) unless `shellDir` is null.
 */
export function missingBuildOutputs(shellDir: string | null = APP_SHELL_DIST): string[] {
  return missing([...projectOutputs(), ...(shellDir === null ? [] : APP_SHELL_FILES.map((f) => path.join(shellDir, f)))]);
}

/** Thrown when a build fails or leaves an output missing; the message names the log. */
export class BuildError extends Error {
  override name = 'BuildError';
}

const SKIP = new Set(['node_modules', 'dist', 'dist-maps', 'out', 'generated']);

/** The newest modification time of the (non-test) files under the folders. */
function newestSource(dirs: readonly string[]): number {
  let newest = 0;
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (SKIP.has(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!/\.test\.tsx?$/.test(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  for (const d of dirs) if (fs.existsSync(d)) walk(d);
  return newest;
}

/**
 * Workspaces whose build output is older than their sources (an update pulled since the last build): the local
 * Dataverse imports the solution from those outputs on every start, so stale ones would serve yesterday's commands.
 */
export function staleWorkspaces(): ('@pfb/webresources' | '@pfb/pcf')[] {
  const stale: ('@pfb/webresources' | '@pfb/pcf')[] = [];
  const commands = at('webresources', 'dist', 'pfb_', 'scripts', 'commands.js');
  if (fs.existsSync(commands) && fs.statSync(commands).mtimeMs < newestSource([at('webresources', 'src'), at('domain', 'src')])) stale.push('@pfb/webresources');
  if (!pcfBuildIsFresh()) stale.push('@pfb/pcf');
  return stale;
}

function run(args: readonly string[], log: string): void {
  const built = spawnSync('npm', [...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, PP_TOOLS_TELEMETRY_OPTOUT: '1' } });
  fs.writeFileSync(log, `${built.stdout ?? ''}\n${built.stderr ?? ''}`);
  const shown = path.relative(process.cwd(), log);
  if (built.status !== 0) throw new BuildError(`npm ${args.join(' ')} failed (exit ${built.status}); its output is in ${shown}. Fix it, or run it yourself to see it.`);
  const still = missingBuildOutputs(null);
  if (still.length > 0) throw new BuildError(`npm ${args.join(' ')} finished but ${still.join(', ')} is still missing; see ${shown}.`);
}

/**
 * Runs `npm run build` when one of its outputs is missing (a fresh clone), or rebuilds the workspaces whose outputs
 * are older than their sources; a build's output is kept in `<dataDir>/build.log`.
 */
export function ensureProjectBuilt(dataDir: string, say: (line: string) => void = () => undefined): void {
  fs.mkdirSync(dataDir, { recursive: true });
  const log = path.join(dataDir, 'build.log');
  const absent = missingBuildOutputs(null);
  if (absent.length > 0) {
    say(`building the web resources, the PCF controls and the solution (first run; ${absent[0]} is missing; about two minutes)…`);
    run(['run', 'build'], log);
    return;
  }
  for (const workspace of staleWorkspaces()) {
    say(`rebuilding ${workspace}: its build is older than its sources…`);
    run(['run', 'build', '-w', workspace], log);
  }
}

/** The shell's own routes over the running parts: the technician page's (technicianRoutes.ts). */
export function appShellRoutes(parts: AppShellParts): Record<string, http.RequestListener> {
  return technicianRoutes({ technicians: parts.technicians, tickets: parts.mobility, automatic: parts.automaticTechnicians });
}

/**
 * `npm start [-- options]`: the whole loop on one machine (sandbox.ts). Builds the web resources and the PCF controls
 * first when their output is missing, and the app shell's scripts on every start (about a second, while the parts
 * start). Shows progress on stderr while starting; when everything is ready prints
 *   Project Field Bridge sandbox: http://127.0.0.1:<p>/
 *   Local Dataverse: http://127.0.0.1:<q>/api/data/v9.2
 * Ctrl+C (or SIGTERM) stops every part. A busy port, a failed build or a part that cannot start is one line naming it.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildAppShell } from '../appshell/build';
import { failWith, parsePort, stopOnSignals } from '../cliSupport';
import { REPO_ROOT, SandboxStartError, startSandbox } from './sandbox';
import { appShellRoots, appShellRoutes, BuildError, ensureProjectBuilt, missingBuildOutputs } from './appShell';

const fail: (message: string) => never = failWith('npm start');

const USAGE = `Usage: npm start [-- --reset] [--technicians on|off] [--incomplete-rate 0.1] [--minutes-per-second 480]
                 [--port 5500] [--dataverse-port 5555] [--bridge-port 7071]`;

function number(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) fail(`${name} must be a number from ${min} to ${max}, not '${value}'. ${USAGE}`);
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        reset: { type: 'boolean', default: false },
        technicians: { type: 'string', default: 'on' },
        'incomplete-rate': { type: 'string', default: '0.1' },
        'minutes-per-second': { type: 'string', default: '480' },
        port: { type: 'string', default: '5500' },
        'dataverse-port': { type: 'string', default: '5555' },
        'bridge-port': { type: 'string', default: '7071' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    fail(`${(e as Error).message}. ${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.technicians !== 'on' && values.technicians !== 'off') fail(`--technicians must be on or off, not '${values.technicians}'.`);
  const say = (line: string): void => void process.stderr.write(`  … ${line}\n`);

  try {
    ensureProjectBuilt(path.join(REPO_ROOT, '.sandbox'), say);
  } catch (e) {
    if (e instanceof BuildError) fail(e.message);
    throw e;
  }

  const started = performance.now();
  // The shell's scripts build while the parts start; the shell is not announced before they are there.
  say('the app shell\'s scripts (esbuild)…');
  const shellBuilt = buildAppShell().then(
    () => null,
    (e: unknown) => (e as Error).message,
  );
  try {
    const sandbox = await startSandbox({
      reset: values.reset,
      port: parsePort(values.port, fail),
      dataversePort: parsePort(values['dataverse-port'], fail),
      bridgePort: parsePort(values['bridge-port'], fail),
      technicians: values.technicians === 'on',
      incompleteRate: number('--incomplete-rate', values['incomplete-rate'], 0, 1),
      minutesPerSecond: number('--minutes-per-second', values['minutes-per-second'], 1, 100_000),
      appShell: { staticRoots: appShellRoots(), routes: appShellRoutes },
      progress: say,
    });
    const shellFailure = await shellBuilt;
    const absent = missingBuildOutputs();
    if (shellFailure || absent.length > 0) {
      await sandbox.close();
      fail(`the app shell's scripts could not be built: ${shellFailure ?? `${absent.join(', ')} is missing`}.`);
    }
    for (const w of sandbox.setup.warnings) say(`setup: ${w}`);
    process.stderr.write(`  ready in ${((performance.now() - started) / 1000).toFixed(1)} s${values.technicians === 'on' ? '; simulated technicians work every booking you make (a day takes about a minute)' : '; technicians off: move bookings on the technician page'}. Ctrl+C stops everything; data stays in .sandbox/ (npm start -- --reset starts fresh).\n`);
    process.stdout.write(`Project Field Bridge sandbox: ${sandbox.url}/\nLocal Dataverse: ${sandbox.dataverse.url}\n`);
    stopOnSignals(async () => {
      process.stderr.write('  stopping…\n');
      await sandbox.close();
    });
  } catch (e) {
    if (e instanceof SandboxStartError) fail(e.message);
    fail(`could not start: ${(e as Error).message}`);
  }
}

void main();

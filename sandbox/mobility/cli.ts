/**
 * `npx tsx sandbox/mobility/cli.ts [--port <p>] [--pki-dir <dir>]`
 * Runs the mobility simulator on 127.0.0.1. The PKI comes from `--pki-dir` (default `.sandbox/pki` at the repository
 * root, git-ignored): read when complete and valid for another day, otherwise created there, so the bridge and test
 * scripts in other processes can use its `ca.pem` and `client.pem`/`client-key.pem` (or `client-nopass.pfx`).
 * Prints exactly one line when ready: `Mobility simulator listening on https://127.0.0.1:<p>`; diagnostics go to
 * stderr and never include key material. SIGTERM or SIGINT stop it.
 *
 * Technicians (technicians.ts) work every ticket when `--events-url <bridge>/api/mobility/events` is given, signing
 * with the secret in the environment variable MOBILITY_SIGNING_SECRET (never a flag: it would show in `ps`):
 * `--minutes-per-second 480` (a day in about a minute), `--incomplete-rate 0.1`, and
 * `--faults duplicate=0.1,reorder=0.2,late=0.1,replay=0.05`.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { failToStart, failWith, parsePort, stopOnSignals } from '../cliSupport';
import { loadOrCreateTestPki } from '../pki/loadTestPki';
import { startMobilitySimulator } from './mobilitySimulator';
import { SimulatedTechnicians } from './technicians';

const DEFAULT_PKI_DIR = path.resolve(__dirname, '..', '..', '.sandbox', 'pki');

const fail: (message: string) => never = failWith('mobility simulator');

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '0' },
        'pki-dir': { type: 'string', default: DEFAULT_PKI_DIR },
        'events-url': { type: 'string' },
        'minutes-per-second': { type: 'string', default: '480' },
        'incomplete-rate': { type: 'string', default: '0.1' },
        faults: { type: 'string', default: '' },
      },
      strict: true,
    }));
  } catch (e) {
    fail(`${(e as Error).message}. Usage: --port <p> --pki-dir <dir> [--events-url <url> --minutes-per-second <n> --incomplete-rate <0..1> --faults k=v,…]`);
  }
  const port = parsePort(values.port, fail);
  const pkiDir = path.resolve(values['pki-dir']);

  let pki;
  try {
    const loaded = loadOrCreateTestPki(pkiDir, { validDays: 365 });
    pki = loaded.pki;
    process.stderr.write(`mobility simulator: ${loaded.created ? 'created a test PKI in' : 'using the test PKI in'} ${pkiDir} (trust ca.pem; client certificate client.pem + client-key.pem)\n`);
  } catch (e) {
    fail(`cannot use the PKI folder: ${(e as Error).message}`);
  }

  let sim;
  try {
    sim = await startMobilitySimulator({ pki, port });
  } catch (e) {
    failToStart(e, port, fail);
  }
  let technicians: SimulatedTechnicians | undefined;
  if (values['events-url']) {
    const secret = process.env['MOBILITY_SIGNING_SECRET'];
    if (!secret) fail('--events-url needs the signing secret in the environment variable MOBILITY_SIGNING_SECRET (whsec_…).');
    const rate = (name: string, value: string): number => {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0) fail(`${name} must be a number of 0 or more, not '${value}'.`);
      return n;
    };
    const faults: Record<string, number> = {};
    for (const pair of values.faults.split(',').filter(Boolean)) {
      const [k, v] = pair.split('=');
      if (!k || !['duplicate', 'reorder', 'late', 'replay'].includes(k) || v === undefined) fail(`--faults takes duplicate, reorder, late and replay as k=v, not '${pair}'.`);
      faults[k] = Math.min(1, rate(`--faults ${k}`, v));
    }
    technicians = new SimulatedTechnicians(sim, {
      eventsUrl: values['events-url'],
      signingSecret: secret,
      minutesPerSecond: rate('--minutes-per-second', values['minutes-per-second']),
      incompleteRate: Math.min(1, rate('--incomplete-rate', values['incomplete-rate'])),
      faults,
    }).start();
    process.stderr.write(`mobility simulator: technicians deliver stage events to ${values['events-url']}\n`);
  }
  process.stdout.write(`Mobility simulator listening on ${sim.url}\n`);
  stopOnSignals(async () => {
    await technicians?.stop();
    await sim.close();
  });
}

void main();

/**
 * `npx tsx sandbox/mobility/cli.ts [--port <p>] [--pki-dir <dir>]`
 * Runs the mobility simulator on 127.0.0.1. The PKI comes from `--pki-dir` (default `.sandbox/pki` at the repository
 * root, git-ignored): read when complete and valid for another day, otherwise created there, so the bridge and test
 * scripts in other processes can use its `ca.pem` and `client.pem`/`client-key.pem` (or `client-nopass.pfx`).
 * Prints exactly one line when ready: `Mobility simulator listening on https://127.0.0.1:<p>`; diagnostics go to
 * stderr and never include key material. SIGTERM or SIGINT stop it.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { failToStart, failWith, parsePort, stopOnSignals } from '../cliSupport';
import { loadOrCreateTestPki } from '../pki/loadTestPki';
import { startMobilitySimulator } from './mobilitySimulator';

const DEFAULT_PKI_DIR = path.resolve(__dirname, '..', '..', '.sandbox', 'pki');

const fail: (message: string) => never = failWith('mobility simulator');

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '0' },
        'pki-dir': { type: 'string', default: DEFAULT_PKI_DIR },
      },
      strict: true,
    }));
  } catch (e) {
    fail(`${(e as Error).message}. Usage: --port <p> --pki-dir <dir>`);
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
  process.stdout.write(`Mobility simulator listening on ${sim.url}\n`);
  stopOnSignals(() => sim.close());
}

void main();

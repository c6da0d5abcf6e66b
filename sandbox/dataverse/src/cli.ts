/**
 * `npm run dataverse -- --port <p> --db <file|:memory:> --seed <empty|telecom|scale:N> [--limits real|off]
 *  [--solution schema|package|full|none|<zip>]`
 * Prints exactly one line when ready: `Dataverse Web API listening on http://127.0.0.1:<p>/api/data/v9.2`.
 * SIGTERM or SIGINT stop it cleanly (pending writes are committed; the database file is closed).
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { failToStart, failWith, parsePort, stopOnSignals } from '../../cliSupport';
import { REAL_LIMITS } from './limits/serviceProtection';
import { isSeedKind } from './seed';
import { startDataverse, type StartSolution } from './start';

const fail: (message: string) => never = failWith('local dataverse');

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '0' },
        db: { type: 'string', default: ':memory:' },
        seed: { type: 'string', default: 'empty' },
        limits: { type: 'string', default: 'real' },
        solution: { type: 'string', default: 'package' },
      },
      strict: true,
    }));
  } catch (e) {
    fail(`${(e as Error).message}. Usage: --port <p> --db <file|:memory:> --seed <empty|telecom|scale:N> [--limits real|off] [--solution schema|package|full|none|<zip>]`);
  }
  const port = parsePort(values.port, fail);
  if (!isSeedKind(values.seed)) fail(`--seed must be empty, telecom or scale:N (N a positive whole number), not '${values.seed}'.`);
  if (values.limits !== 'real' && values.limits !== 'off') fail(`--limits must be real or off, not '${values.limits}'.`);
  let solution: StartSolution;
  if (['schema', 'package', 'full', 'none'].includes(values.solution)) solution = values.solution as StartSolution;
  else if (fs.existsSync(values.solution)) solution = new Uint8Array(fs.readFileSync(values.solution));
  else fail(`--solution must be schema, package, full, none or the path of a solution zip; '${values.solution}' is none of those.`);

  let running;
  try {
    running = await startDataverse({ port, db: values.db, seed: values.seed, limits: values.limits === 'real' ? REAL_LIMITS : null, solution });
  } catch (e) {
    failToStart(e, port, fail);
  }
  process.stdout.write(`Dataverse Web API listening on ${running.url}\n`);
  stopOnSignals(() => running.close());
}

void main();

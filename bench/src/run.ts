/** `npm run bench [-- --quick]`: runs every benchmark and writes bench/results.json and bench/RESULTS.md. */
import { benchLocalDataverse } from './localDataverse.bench';
import { benchOutbound } from './outbound.bench';
import { benchRollup } from './rollup.bench';
import { writeResults, RESULTS_JSON } from './results';

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const started = performance.now();
  const results = { ...(await benchLocalDataverse(quick)), ...(await benchRollup(quick)), ...(await benchOutbound(quick)) };
  writeResults(results);
  for (const [name, m] of Object.entries(results)) console.log(`${name.padEnd(40)} ${String(m.value).padStart(10)} ${m.unit}  ${m.notes}`);
  console.log(`\nwrote ${RESULTS_JSON} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

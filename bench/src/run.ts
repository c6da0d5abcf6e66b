/**
 * `npm run bench [-- --quick] [-- --only name,name]`: runs every benchmark (each `bench/src/<name>.bench.ts` exports
 * one `bench…(quick)` function returning metrics) and writes bench/results.json and bench/RESULTS.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DESIGN_METRICS, writeResults, RESULTS_JSON, type Results } from './results';

type Bench = (quick: boolean) => Promise<Results>;

async function loadBenches(only: readonly string[] | undefined): Promise<Array<[string, Bench]>> {
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts')).sort();
  const benches: Array<[string, Bench]> = [];
  for (const file of files) {
    const name = file.replace(/\.bench\.ts$/, '');
    if (only && !only.includes(name)) continue;
    const mod = (await import(path.join(__dirname, file))) as Record<string, unknown>;
    const fn = Object.entries(mod).find(([key, value]) => key.startsWith('bench') && typeof value === 'function');
    if (!fn) throw new Error(`${file} exports no bench… function.`);
    benches.push([name, fn[1] as Bench]);
  }
  return benches;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt > 0 ? (process.argv[onlyAt + 1] ?? '').split(',').filter(Boolean) : undefined;
  const started = performance.now();
  const results: Results = {};
  for (const [name, bench] of await loadBenches(only)) {
    const t0 = performance.now();
    Object.assign(results, await bench(quick));
    console.log(`# ${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  writeResults(results, { quick });
  const missing = only ? [] : DESIGN_METRICS.filter((m) => !(m in results));
  if (missing.length > 0) throw new Error(`This run did not measure ${missing.join(', ')}, which DESIGN §7 requires; a benchmark stopped producing it.`);
  for (const [name, m] of Object.entries(results)) console.log(`${name.padEnd(40)} ${String(m.value).padStart(10)} ${m.unit}  ${m.notes}`);
  console.log(`\nwrote ${RESULTS_JSON} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

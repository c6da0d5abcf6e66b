/**
 * bench/results.json is one object: { "<metric>": { value, unit, baseline?, notes } } (DESIGN §7). Each run merges
 * its metrics into the file, so benchmarks added by later work keep the others' figures; RESULTS.md is rewritten
 * from the whole file.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface Metric {
  value: number;
  unit: string;
  baseline?: number;
  notes: string;
}

export type Results = Record<string, Metric>;

const DIR = path.resolve(__dirname, '..');
export const RESULTS_JSON = path.join(DIR, 'results.json');
export const RESULTS_MD = path.join(DIR, 'RESULTS.md');

/** Every metric DESIGN §7 names: a full run (no --only) fails when one is missing. */
export const DESIGN_METRICS: readonly string[] = [
  'outbound.requestsPerWorkOrder',
  'outbound.sync500TasksSeconds',
  'inbound.requestsPerEvent',
  'inbound.eventsPerSecond',
  'inbound.p95LatencyMs',
  'rollup.costRatio50kBookingsTo10Tasks',
  'pcf.bundleKB.WbsWorkOrderGrid',
  'pcf.bundleKB.BookingProgressPanel',
  'pcf.grid25k.firstRenderMs',
  'pcf.grid25k.scrollFrameMs',
  'ribbon.requestsFor250Tasks',
];

/** Metrics where more is better (throughput); for the rest less is better (requests, time, size). */
const HIGHER_IS_BETTER = new Set(['inbound.eventsPerSecond']);

/** How many times better than its naive baseline a metric is, whichever way "better" points. */
export function timesBetter(name: string, m: Metric): number | undefined {
  if (m.baseline === undefined || m.value === 0 || m.baseline === 0) return undefined;
  return HIGHER_IS_BETTER.has(name) ? m.value / m.baseline : m.baseline / m.value;
}

export function writeResults(fresh: Results, options: { quick?: boolean } = {}): Results {
  const previous: Results = fs.existsSync(RESULTS_JSON) ? (JSON.parse(fs.readFileSync(RESULTS_JSON, 'utf8')) as Results) : {};
  const merged: Results = { ...previous, ...fresh };
  const sorted = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
  fs.writeFileSync(RESULTS_JSON, `${JSON.stringify(sorted, null, 2)}\n`);
  const rows = Object.entries(sorted).map(([name, m]) => {
    const better = timesBetter(name, m);
    const ratio = better !== undefined ? ` (baseline ${m.baseline}: ${better.toFixed(1)}× better)` : '';
    return `| \`${name}\` | ${m.value} ${m.unit}${ratio} | ${m.notes} |`;
  });
  fs.writeFileSync(
    RESULTS_MD,
    ['# Benchmark results', '', `Written by \`npm run bench${options.quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)} (${process.platform}, Node ${process.version})${options.quick ? ': quick mode, smaller programs — for CI, not for sizing' : ''}.`, '', '| metric | value | notes |', '|---|---|---|', ...rows, ''].join('\n'),
  );
  return sorted;
}

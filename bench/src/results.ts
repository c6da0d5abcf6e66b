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

export function writeResults(fresh: Results): Results {
  const previous: Results = fs.existsSync(RESULTS_JSON) ? (JSON.parse(fs.readFileSync(RESULTS_JSON, 'utf8')) as Results) : {};
  const merged: Results = { ...previous, ...fresh };
  const sorted = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
  fs.writeFileSync(RESULTS_JSON, `${JSON.stringify(sorted, null, 2)}\n`);
  const rows = Object.entries(sorted).map(([name, m]) => {
    const ratio = m.baseline !== undefined && m.value !== 0 ? ` (baseline ${m.baseline}, ×${(m.baseline / m.value).toFixed(1)})` : '';
    return `| \`${name}\` | ${m.value} ${m.unit}${ratio} | ${m.notes} |`;
  });
  fs.writeFileSync(
    RESULTS_MD,
    ['# Benchmark results', '', `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} (${process.platform}, Node ${process.version}).`, '', '| metric | value | notes |', '|---|---|---|', ...rows, ''].join('\n'),
  );
  return sorted;
}

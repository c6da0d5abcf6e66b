/**
 * `npm run pack -w @pfb/solution` (the last step of `npm run build`): packs solution/unpacked/ with the web resource
 * and PCF build outputs into solution/dist/ProjectFieldBridge_<version>.zip and …_managed.zip. Refuses, with the
 * command to run, when the unpacked source is out of date with the schema or a build output is missing.
 * `--allow-missing` packs without missing build outputs (their components are left out) for local experiments.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { packageFileName } from '../definition/manifest';
import { BuildOutputMissing, REPO_ROOT } from '../inputs/buildOutputs';
import { buildPackages } from '../pack/buildPackages';

export const DIST_DIR = path.resolve(__dirname, '../../dist');

function fail(message: string): never {
  process.stderr.write(`solution pack: ${message}\n`);
  process.exit(1);
}

const { values } = parseArgs({ options: { 'allow-missing': { type: 'boolean', default: false }, out: { type: 'string' } }, strict: true });
let built;
try {
  built = buildPackages({ mode: values['allow-missing'] ? 'available' : 'strict', source: 'committed' });
} catch (e) {
  if (e instanceof BuildOutputMissing) fail(e.message);
  throw e;
}
if (built.drift.length) {
  fail(`solution/unpacked is out of date with the schema module and the definitions; run npm run generate -w @pfb/solution and commit the result:\n${built.drift.map((d) => `  - ${d}`).join('\n')}`);
}
const dist = values.out ? path.resolve(values.out) : DIST_DIR;
fs.mkdirSync(dist, { recursive: true });
for (const [managed, pkg] of [
  [false, built.unmanaged],
  [true, built.managed],
] as const) {
  const file = path.join(dist, packageFileName(built.contents.manifest, managed));
  fs.writeFileSync(file, pkg.zip);
  const sha = createHash('sha256').update(pkg.zip).digest('hex');
  process.stdout.write(`${path.relative(REPO_ROOT, file)}: ${pkg.files.size} files, ${pkg.zip.length} bytes, sha256 ${sha}\n`);
}
const c = built.contents;
process.stdout.write(
  `${c.manifest.uniqueName} ${c.manifest.version}: ${c.tables.filter((t) => t.owned).length} tables, ${c.tables.filter((t) => !t.owned).length} extended tables, ` +
    `${c.optionSets.length} choices, ${c.webResources.length - built.unmanaged.skipped.filter((s) => s.startsWith('web resource')).length} web resources, ` +
    `${c.controls.length - built.unmanaged.skipped.filter((s) => s.startsWith('control')).length} controls, ${c.serviceEndpoints.length} webhook endpoints, ${c.steps.length} steps, ` +
    `${c.environmentVariables.length} environment variables, ${c.roles.length} security roles.\n`,
);
if (built.unmanaged.skipped.length) process.stdout.write(`Left out (build output missing): ${built.unmanaged.skipped.join('; ')}. Run npm run build for a complete package.\n`);

/**
 * `npm run solution:check`: everything that would stop the package importing or behaving, in words — the unpacked
 * source against the definitions, missing build outputs, customizations.xml against the Dataverse schema (xmllint),
 * the shape of solution.xml, [Content_Types].xml, control manifests and environment variables against real exports,
 * the zip's structure, and that packing twice gives the same bytes. Exit 1 when there is an error.
 */
import { Buffer } from 'node:buffer';
import { checkPackage, type Problem } from '../check/checkPackage';
import { buildPackages } from '../pack/buildPackages';

const problems: Problem[] = [];
const built = buildPackages({ mode: 'available', source: 'committed' });
for (const d of built.drift) problems.push({ severity: 'error', message: `solution/unpacked: ${d} — run npm run generate -w @pfb/solution` });
for (const m of built.outputs.missing) problems.push({ severity: 'warning', message: `${m}; the package built by npm run pack needs it` });
for (const [managed, pkg] of [
  [false, built.unmanaged],
  [true, built.managed],
] as const) {
  problems.push(...checkPackage({ contents: built.contents, files: pkg.files, managed }));
}
const again = buildPackages({ mode: 'available', source: 'committed' });
if (!Buffer.from(again.unmanaged.zip).equals(Buffer.from(built.unmanaged.zip)) || !Buffer.from(again.managed.zip).equals(Buffer.from(built.managed.zip))) {
  problems.push({ severity: 'error', message: 'packing twice gave different bytes: something in the packer depends on time, order or environment' });
}

const seen = new Set<string>();
const unique = problems.filter((p) => (seen.has(p.message) ? false : (seen.add(p.message), true)));
const errors = unique.filter((p) => p.severity === 'error');
const warnings = unique.filter((p) => p.severity === 'warning');
for (const p of errors) process.stdout.write(`error: ${p.message}\n`);
for (const p of warnings) process.stdout.write(`warning: ${p.message}\n`);
const c = built.contents;
process.stdout.write(
  `${errors.length ? 'FAILED' : 'OK'}: ${c.manifest.uniqueName} ${c.manifest.version} — ${errors.length} error(s), ${warnings.length} warning(s); ` +
    `customizations.xml validated against CustomizationsSolution.xsd for the unmanaged and managed zips.\n`,
);
process.exit(errors.length ? 1 : 0);

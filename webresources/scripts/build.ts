/**
 * `npm run build -w @pfb/webresources`: regenerate the RibbonDiffXml and RESX files, then bundle the scripts into
 * dist/. Exits non-zero on any error (the type check runs before this script, see package.json).
 */
import { bundleWebResources } from './bundle';
import { writeGeneratedFiles } from './generate';

async function main(): Promise<void> {
  const written = writeGeneratedFiles();
  for (const f of written) console.log(`generated ${f}`);
  const results = await bundleWebResources();
  for (const r of results) console.log(`built ${r.name} (${(r.bytes / 1024).toFixed(1)} KB)`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});

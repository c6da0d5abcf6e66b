/** Writes pcf/shared/schemaNames.ts from the schema module (see schemaSubset.ts). `--check` only compares. */
import fs from 'node:fs';
import path from 'node:path';
import { renderSchemaSubset } from './schemaSubset';

export const SCHEMA_NAMES_FILE = path.resolve(__dirname, '../shared/schemaNames.ts');

function main(): void {
  const text = renderSchemaSubset();
  const current = fs.existsSync(SCHEMA_NAMES_FILE) ? fs.readFileSync(SCHEMA_NAMES_FILE, 'utf8') : '';
  if (process.argv.includes('--check')) {
    if (current !== text) {
      console.error(`${SCHEMA_NAMES_FILE} is out of date with the schema module: run npm run build -w @pfb/pcf`);
      process.exit(1);
    }
    return;
  }
  if (current !== text) fs.writeFileSync(SCHEMA_NAMES_FILE, text);
  console.log(`[schema] ${path.relative(process.cwd(), SCHEMA_NAMES_FILE)} ${current === text ? 'up to date' : 'written'}`);
}

main();

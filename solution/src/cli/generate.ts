/**
 * `npm run generate -w @pfb/solution`: (re)writes the unpacked solution source, solution/unpacked/, from the schema
 * module and the definitions. Run it after changing either, and commit the result with the change.
 */
import path from 'node:path';
import { generateSource, solutionContents } from '../unpacked/generateSource';
import { REPO_ROOT } from '../inputs/buildOutputs';
import { diffTrees, readSourceTree, UNPACKED_DIR, writeSourceTree } from '../unpacked/sourceTree';

const generated = generateSource(solutionContents());
const changes = diffTrees(generated, readSourceTree());
writeSourceTree(generated);
const where = path.relative(REPO_ROOT, UNPACKED_DIR);
if (changes.length === 0) process.stdout.write(`${where}: ${generated.size} files, already up to date.\n`);
else process.stdout.write(`${where}: ${generated.size} files; changed:\n${changes.map((c) => `  ${c}`).join('\n')}\n`);

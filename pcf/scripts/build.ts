/**
 * `npm run build -w @pfb/pcf`: regenerates the schema subset, runs `pcf-scripts build --buildMode production`, and
 * FAILS when pcf-scripts failed — it exits 0 on lint errors, "Module not found" or an unsupported platform library
 * (platform-notes, PCF), so its output is checked for "[build] Succeeded" and every control for a fresh bundle.js —
 * and when a bundle breaks the budget (60 KB, DESIGN §7) or carries its own copy of React, ReactDOM or Fluent.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { MAX_BUNDLE_BYTES, PCF_CONTROLS, PCF_ROOT } from '../controls';
import { secondCopies, usesPlatformGlobals } from './bundleChecks';
import { pcfScriptsDir, platformGlobals } from './platformLibraries';
import { renderSchemaSubset } from './schemaSubset';

function writeSchemaNames(): void {
  const file = path.join(PCF_ROOT, 'shared', 'schemaNames.ts');
  const text = renderSchemaSubset();
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) {
    fs.writeFileSync(file, text);
    console.log('[pcf] shared/schemaNames.ts regenerated from the schema module');
  }
}

function runPcfScripts(): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const bin = path.join(pcfScriptsDir(), 'bin', 'pcf-scripts.js');
    const child = spawn(process.execPath, [bin, 'build', '--buildMode', 'production', '--noColor'], {
      cwd: PCF_ROOT,
      env: { ...process.env, PP_TOOLS_TELEMETRY_OPTOUT: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const tee = (chunk: Buffer, to: NodeJS.WriteStream): void => {
      output += chunk.toString();
      to.write(chunk);
    };
    child.stdout.on('data', (c: Buffer) => tee(c, process.stdout));
    child.stderr.on('data', (c: Buffer) => tee(c, process.stderr));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

export interface BuiltControl {
  readonly name: string;
  readonly bytes: number;
}

export async function buildControls(): Promise<BuiltControl[]> {
  writeSchemaNames();
  const started = Date.now();
  const { code, output } = await runPcfScripts();
  const problems: string[] = [];
  if (code !== 0) problems.push(`pcf-scripts exited with ${code}`);
  if (!/\[build\] Succeeded/.test(output)) problems.push('pcf-scripts did not report "[build] Succeeded" (it exits 0 even when the build failed; see its output above)');
  if (/\[build\] Failed/.test(output)) problems.push('pcf-scripts reported "[build] Failed"');

  const globals = platformGlobals();
  const built: BuiltControl[] = [];
  for (const c of PCF_CONTROLS) {
    if (!fs.existsSync(c.bundle)) {
      problems.push(`${c.name}: no bundle.js at ${path.relative(PCF_ROOT, c.bundle)}`);
      continue;
    }
    const stat = fs.statSync(c.bundle);
    if (stat.mtimeMs < started - 1000) problems.push(`${c.name}: bundle.js was not rewritten by this build (stale output from ${stat.mtime.toISOString()})`);
    for (const f of [c.manifest, ...c.resx.map((r) => path.join(c.outDir, r))]) {
      if (!fs.existsSync(f)) problems.push(`${c.name}: missing ${path.relative(PCF_ROOT, f)}`);
    }
    const source = fs.readFileSync(c.bundle, 'utf8');
    if (stat.size > MAX_BUNDLE_BYTES) problems.push(`${c.name}: bundle.js is ${(stat.size / 1024).toFixed(1)} KB, over the ${MAX_BUNDLE_BYTES / 1024} KB budget`);
    const copies = secondCopies(source);
    if (copies.length) problems.push(`${c.name}: bundle.js contains its own copy of ${copies.join(', ')} (only the platform's may be used)`);
    const missing = usesPlatformGlobals(source, [globals.react, globals.fluent]);
    if (missing.length) problems.push(`${c.name}: bundle.js does not use the platform global(s) ${missing.join(', ')}: check the manifest's platform-library elements`);
    built.push({ name: c.name, bytes: stat.size });
  }
  if (problems.length) {
    throw new Error(`PCF build failed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  for (const b of built) console.log(`[pcf] ${b.name}: bundle.js ${(b.bytes / 1024).toFixed(1)} KB (budget ${MAX_BUNDLE_BYTES / 1024} KB)`);
  return built;
}

if (require.main === module) {
  buildControls().then(
    () => console.log('[pcf] build succeeded'),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}

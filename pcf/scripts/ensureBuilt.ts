/**
 * Builds the controls when their bundles are missing or older than the sources (browser tests and benchmarks use
 * the production bundle.js; CI runs `npm test` on a fresh clone). Concurrent callers (jest workers) share one build
 * through a lock directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PCF_CONTROLS, PCF_OUT_DIR, PCF_ROOT } from '../controls';
import { buildControls } from './build';

const LOCK = path.join(PCF_OUT_DIR, '..', '.build-lock');
const SKIP = new Set(['node_modules', 'out', 'generated', 'testing']);

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (!/\.test\.tsx?$/.test(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

export function isBuildFresh(): boolean {
  const source = newestSource(PCF_ROOT);
  return PCF_CONTROLS.every((c) => fs.existsSync(c.bundle) && fs.statSync(c.bundle).mtimeMs >= source);
}

export async function ensurePcfBuilt(log: (s: string) => void = () => undefined): Promise<void> {
  if (isBuildFresh()) return;
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      // Someone else builds: wait for them, or take over a lock left by a killed process.
      const age = Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 3 * 60_000) fs.rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('Timed out waiting for another PCF build');
      await new Promise((r) => setTimeout(r, 500));
      if (isBuildFresh()) return;
    }
  }
  try {
    if (isBuildFresh()) return;
    log('[pcf] bundles missing or older than the sources: building the controls');
    await buildControls();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * Debian's chromium driven by playwright-core, for browser tests and benchmarks. `npx playwright install` cannot
 * download browsers here; CI installs the `chromium` package (see .ci/run).
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function chromiumPath(): string {
  const found = CANDIDATES.find((candidate): candidate is string => !!candidate && fs.existsSync(candidate));
  if (!found) throw new Error('Chromium was not found: install Debian\'s chromium package (apt-get install chromium) or set CHROMIUM_PATH.');
  return found;
}

/** Headless chromium that makes no network calls of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

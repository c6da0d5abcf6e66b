/**
 * xmllint (libxml2) for schema checks. Missing xmllint is a clear failure, never a skip: install Debian's
 * `libxml2-utils` (CI installs it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const XSD_DIR = path.resolve(__dirname, '../../../../shared/reference/dataverse-xsd');

export function requireXmllint(): string {
  const probe = spawnSync('xmllint', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error('xmllint is not installed: the RibbonDiffXml cannot be validated against the Dataverse schemas. Install it (apt-get install libxml2-utils) and run the tests again.');
  }
  return 'xmllint';
}

/** Validates `xml` against `schema` (a file in XSD_DIR); returns xmllint's messages, empty when valid. */
export function validate(xml: string, schema: string): { ok: boolean; output: string } {
  const bin = requireXmllint();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pfb-xmllint-'));
  const file = path.join(dir, 'document.xml');
  fs.writeFileSync(file, xml);
  try {
    execFileSync(bin, ['--noout', '--schema', path.join(XSD_DIR, schema), file], { encoding: 'utf8', stdio: 'pipe' });
    return { ok: true, output: '' };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Validates XML against the Dataverse customization schemas with libxml2's xmllint (Debian libxml2-utils), reading
 * the document from stdin. The schemas are the reference copies in ../shared/reference/dataverse-xsd (the 9.0 SDK
 * set with the four fixes that let libxml2 compile them; see that folder's README).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../inputs/buildOutputs';

export const XSD_DIR = path.resolve(REPO_ROOT, '../shared/reference/dataverse-xsd');
export const CUSTOMIZATIONS_XSD = path.join(XSD_DIR, 'CustomizationsSolution.xsd');

export type XmllintResult = { readonly ok: true } | { readonly ok: false; readonly errors: readonly string[] };

/** Validates `xml` against `xsd`; a missing xmllint or schema is reported as an error naming the fix. */
export function xmllint(xml: string | Uint8Array, xsd: string = CUSTOMIZATIONS_XSD, label = 'document'): XmllintResult {
  if (!fs.existsSync(xsd)) return { ok: false, errors: [`the schema ${xsd} is missing: the reference material must sit beside the repository at ../shared/reference`] };
  const run = spawnSync('xmllint', ['--noout', '--schema', xsd, '-'], { input: typeof xml === 'string' ? xml : Buffer.from(xml), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) {
    const missing = (run.error as NodeJS.ErrnoException).code === 'ENOENT';
    return { ok: false, errors: [missing ? 'xmllint is not installed: install the Debian package libxml2-utils (apt-get install libxml2-utils)' : `xmllint could not run: ${run.error.message}`] };
  }
  if (run.status === 0) return { ok: true };
  const errors = `${run.stderr ?? ''}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/ fails to validate$/.test(l) && !/ validates$/.test(l))
    .map((l) => l.replace(/^-:/, `${label}:`));
  return { ok: false, errors: errors.length ? errors : [`${label} does not validate (xmllint exit ${String(run.status)})`] };
}

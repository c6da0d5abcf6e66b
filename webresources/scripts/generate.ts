/**
 * The generated sources of this workspace, from the TypeScript definitions: the RibbonDiffXml of each table
 * (webresources/ribbon/<table>.RibbonDiff.xml) and the RESX of each language (webresources/strings/ribbon.<lcid>.resx).
 * They are committed, so the solution packer reads them without building; `checkGenerated` tells when they are stale.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ENTITY_RIBBONS } from '../src/ribbon/definition';
import { renderRibbonDiff, ribbonFileName } from '../src/ribbon/ribbonXml';
import { renderResx, resxEntries1033, resxFileName } from '../src/strings/resx';

export const WEBRESOURCES_DIR = path.resolve(__dirname, '..');
export const RIBBON_DIR = path.join(WEBRESOURCES_DIR, 'ribbon');
export const STRINGS_DIR = path.join(WEBRESOURCES_DIR, 'strings');

/** Every generated file: absolute path → content. */
export function generatedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const ribbon of ENTITY_RIBBONS) files.set(path.join(RIBBON_DIR, ribbonFileName(ribbon.entity)), renderRibbonDiff(ribbon));
  files.set(path.join(STRINGS_DIR, resxFileName(1033)), renderResx(resxEntries1033()));
  return files;
}

/** Files that are missing or differ from what the definitions give. */
export function staleGeneratedFiles(): string[] {
  const stale: string[] = [];
  for (const [file, content] of generatedFiles()) {
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== content) stale.push(path.relative(WEBRESOURCES_DIR, file));
  }
  return stale;
}

/** Writes what changed; returns the files written. */
export function writeGeneratedFiles(): string[] {
  const written: string[] = [];
  for (const [file, content] of generatedFiles()) {
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) continue;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    written.push(path.relative(WEBRESOURCES_DIR, file));
  }
  return written;
}

/**
 * String (RESX) web resources and `Xrm.Utility.getResourceString(webResourceName, key)` (getresourcestring.md): the
 * name carries no language (`pfb_/strings/ribbon`); the user's language is used, then the organization's base
 * language; a missing key gives null; no RESX of that name at all throws "{webResourceName} does not exist.".
 * The files are read from the origin's /WebResources/<name>.<lcid>.resx, as a model-driven app serves them.
 */
import type { FetchLike } from '../webApi/transport';

const ENTITIES: Readonly<Record<string, string>> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'", '&amp;': '&' };
const decode = (text: string): string =>
  text
    .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&(lt|gt|quot|apos|amp);/g, (m) => ENTITIES[m] ?? m);

/** The `<data name="…"><value>…</value></data>` entries of a RESX file. */
export function parseResx(xml: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of xml.matchAll(/<data\b[^>]*\bname="([^"]*)"[^>]*>([\s\S]*?)<\/data>/g)) {
    const value = /<value>([\s\S]*?)<\/value>/.exec(m[2] as string)?.[1] ?? /<value\s*\/>/.exec(m[2] as string)?.[0];
    if (value !== undefined) out.set(decode(m[1] as string), value.startsWith('<value') ? '' : decode(value));
  }
  return out;
}

export class ResourceStrings {
  /** name → lcid → strings */
  private readonly files = new Map<string, Map<number, Map<string, string>>>();

  constructor(
    private readonly userLcid: number,
    private readonly baseLcid: number,
  ) {}

  add(name: string, lcid: number, strings: Map<string, string>): void {
    const byLcid = this.files.get(name) ?? new Map<number, Map<string, string>>();
    byLcid.set(lcid, strings);
    this.files.set(name, byLcid);
  }

  /** Loads `<name>.<lcid>.resx` for the user's and the base language; a language without a file is skipped. */
  async load(name: string, clientUrl: string, fetchFn: FetchLike): Promise<void> {
    for (const lcid of [...new Set([this.userLcid, this.baseLcid])]) {
      const res = await fetchFn(`${clientUrl.replace(/\/+$/, '')}/WebResources/${name}.${lcid}.resx`, { method: 'GET', headers: {} });
      if (res.ok) this.add(name, lcid, parseResx(await res.text()));
    }
  }

  getResourceString(webResourceName: string, key: string): string | null {
    const byLcid = this.files.get(webResourceName);
    if (!byLcid || byLcid.size === 0) throw new Error(`${webResourceName} does not exist.`);
    return byLcid.get(this.userLcid)?.get(key) ?? byLcid.get(this.baseLcid)?.get(key) ?? null;
  }
}

/** A small element tree over fast-xml-parser (order kept), for checks that compare the shape of XML documents. */
import { XMLParser } from 'fast-xml-parser';

export interface Element {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly Element[];
  /** Concatenated text directly inside the element, trimmed. */
  readonly text: string;
}

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, parseAttributeValue: false, trimValues: true, processEntities: true });

type Raw = Record<string, unknown>;

function toElement(raw: Raw): Element | undefined {
  const name = Object.keys(raw).find((k) => k !== ':@');
  if (!name || name === '#text' || name.startsWith('?') || name === '#comment') return undefined;
  // Attribute names are read with a prefix: fast-xml-parser refuses bare names such as `constructor` (a PCF manifest's).
  const attributes: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries((raw[':@'] as Record<string, string> | undefined) ?? {})) attributes[k.replace(/^@_/, '')] = v;
  const body = (raw[name] as Raw[] | undefined) ?? [];
  const children: Element[] = [];
  let text = '';
  for (const b of body) {
    if ('#text' in b) text += String(b['#text']);
    else {
      const e = toElement(b);
      if (e) children.push(e);
    }
  }
  return { name, attributes, children, text: text.trim() };
}

/** The document's root element; throws on text that is not well-formed XML. */
export function parseElementTree(xml: string | Uint8Array): Element {
  const text = typeof xml === 'string' ? xml : Buffer.from(xml).toString('utf8');
  const raws = parser.parse(text.replace(/^\uFEFF/, '')) as Raw[];
  for (const r of raws) {
    const e = toElement(r);
    if (e) return e;
  }
  throw new Error('no root element');
}

export const child = (e: Element | undefined, name: string): Element | undefined => e?.children.find((c) => c.name === name);
export const children = (e: Element | undefined, name: string): Element[] => e?.children.filter((c) => c.name === name) ?? [];
export const childNames = (e: Element | undefined): string[] => e?.children.map((c) => c.name) ?? [];
/** Descendants named `name`, depth first. */
export function descendants(e: Element, name: string): Element[] {
  const out: Element[] = [];
  for (const c of e.children) {
    if (c.name === name) out.push(c);
    out.push(...descendants(c, name));
  }
  return out;
}

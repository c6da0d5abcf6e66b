/**
 * XML writing shared by every solution file: one serializer (two-space indent, `<empty />` with a space, UTF-8
 * declaration as Dataverse writes it) so the same definitions always give the same text, and the small shapes
 * every file repeats (localized labels, 0/1 flags).
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';

export type XmlNode = XMLBuilder;

export const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
/** Dataverse exports begin solution.xml, customizations.xml and [Content_Types].xml with a UTF-8 byte order mark. */
export const BOM = '\uFEFF';
export const LANGUAGE = 1033;

/** A new document whose root element is `name`. */
export function xmlDocument(name: string, attributes: Record<string, string> = {}): XmlNode {
  return create({ version: '1.0', encoding: 'utf-8' }).ele(name, attributes);
}

/** Parses an XML text into a document (for the packer, which assembles files). */
export function parseXml(text: string): XmlNode {
  return create(text.replace(/^\uFEFF/, ''));
}

/** The document text: declaration, two-space indentation, LF line ends, a final newline. */
export function serialize(node: XmlNode, options: { bom?: boolean } = {}): string {
  const text = node.end({ prettyPrint: true, indent: '  ', newline: '\n', spaceBeforeSlash: true });
  return `${options.bom ? BOM : ''}${text}\n`;
}

/** An element's children without the document's declaration (to embed a fragment). */
export function fragment(node: XmlNode): string {
  return node.end({ headless: true, prettyPrint: true, indent: '  ', newline: '\n', spaceBeforeSlash: true });
}

export const bit = (value: boolean): string => (value ? '1' : '0');

/** `<container><item description="…" languagecode="1033" /></container>`. */
export function labelList(parent: XmlNode, container: string, item: string, text: string): XmlNode {
  return parent.ele(container).ele(item, { description: text, languagecode: String(LANGUAGE) }).up().up();
}

/** `<element>text</element>`, an empty element when text is empty. */
export function textElement(parent: XmlNode, name: string, text: string | number): XmlNode {
  const value = String(text);
  return value === '' ? parent.ele(name).up() : parent.ele(name).txt(value).up();
}

/** Elements in order, each `<name>value</name>`. */
export function textElements(parent: XmlNode, values: ReadonlyArray<readonly [string, string | number]>): XmlNode {
  for (const [name, value] of values) textElement(parent, name, value);
  return parent;
}

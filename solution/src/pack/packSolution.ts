/**
 * Packs the unpacked source and the mapped build outputs into an importable solution zip, as SolutionPackager's
 * pack does: the component files are merged into customizations.xml in CustomizationsSolution.xsd's section order,
 * web resource files get their export names (the name without punctuation + the upper-case id, no extension),
 * controls keep their folder, environment variable definitions keep theirs, and [Content_Types].xml lists what is
 * inside. solution.xml says Managed 0 or 1. Components whose build output is missing (allowed outside strict mode)
 * are left out together with their root component, so the package still imports.
 */
import { unbraced } from '../definition/ids';
import type { BuildOutputs } from '../inputs/buildOutputs';
import { renderEmptyRibbonDiff } from '../render/entityXml';
import { CUSTOMIZATION_SECTIONS, renderContentTypes, type CustomizationSection } from '../render/solutionXml';
import { parseXml, serialize, type XmlNode } from '../render/xml';
import { zipFiles } from './zip';

export interface PackInput {
  /** The unpacked source: path → text. */
  readonly source: ReadonlyMap<string, string>;
  readonly outputs: BuildOutputs;
  readonly managed: boolean;
}

export interface PackedSolution {
  readonly zip: Uint8Array;
  /** The entries, in zip order. */
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** Components left out because their build output was missing. */
  readonly skipped: readonly string[];
}

const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));

/** An element's XML without declaration, BOM or its xmlns:xsi declaration, to embed in customizations.xml. */
function embeddable(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/^\s*<\?xml[^?]*\?>\s*/, '')
    .replace(/^(<[\w:.-]+)((?:\s+[\w:.-]+="[^"]*")*?)\s+xmlns:xsi="[^"]*"/, '$1$2')
    .trim();
}

/** The children of a file's root element, as embeddable text (for files whose root is a list). */
function childrenOf(text: string): string {
  const doc = parseXml(text);
  const parts: string[] = [];
  doc.root().each(
    (child) => {
      if (child.node.nodeType === 1) parts.push(child.toString());
    },
    false,
    false,
  );
  return parts.join('');
}

/** `WebResources/pfb_/scripts/commands.js.data.xml` → the name and id in it. */
function webResourceOf(text: string): { name: string; id: string } {
  const name = /<Name>([^<]*)<\/Name>/.exec(text)?.[1];
  const id = unbraced(/<WebResourceId>([^<]*)<\/WebResourceId>/.exec(text)?.[1]);
  if (!name || !id) throw new Error('A web resource .data.xml has no Name or WebResourceId');
  return { name: decodeXml(name), id };
}

const decodeXml = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** The file name a web resource has inside an exported zip: the name stripped to letters, digits, _ and -, then the id in upper case. */
export function packedWebResourceFileName(name: string, id: string): string {
  return `${name.replace(/[^A-Za-z0-9_-]/g, '')}${id.toUpperCase()}`;
}

function removeRootComponent(solution: XmlNode, type: number, schemaName: string): void {
  const list = solution.root().find((n) => n.node.nodeName === 'RootComponents', false, true);
  const doomed: XmlNode[] = [];
  list?.each(
    (rc) => {
      const el = rc.node as unknown as { nodeType: number; getAttribute(n: string): string | null };
      if (el.nodeType === 1 && el.getAttribute('type') === String(type) && el.getAttribute('schemaName') === schemaName) doomed.push(rc);
    },
    false,
    false,
  );
  for (const rc of doomed) rc.remove();
}

export function packSolution(input: PackInput): PackedSolution {
  const { source, outputs } = input;
  const need = (p: string): string => {
    const text = source.get(p);
    if (text === undefined) throw new Error(`The unpacked source has no ${p}: run npm run generate -w @pfb/solution`);
    return text;
  };
  const under = (prefix: string, suffix = ''): string[] => [...source.keys()].filter((p) => p.startsWith(prefix) && p.endsWith(suffix)).sort();

  const sections = new Map<CustomizationSection, string[]>(CUSTOMIZATION_SECTIONS.map((s) => [s, []]));
  const push = (s: CustomizationSection, xml: string): void => void sections.get(s)?.push(xml);
  const files = new Map<string, Uint8Array>();
  const skipped: string[] = [];
  const solution = parseXml(need('Other/Solution.xml'));

  // Entities, each with its ribbon.
  for (const p of under('Entities/', '/Entity.xml')) {
    const dir = p.slice(0, -'/Entity.xml'.length);
    const logicalName = dir.slice('Entities/'.length).toLowerCase();
    const ribbon = outputs.ribbons.get(logicalName) ?? source.get(`${dir}/RibbonDiff.xml`) ?? renderEmptyRibbonDiff();
    const entity = embeddable(need(p));
    push('Entities', entity.replace(/<\/Entity>\s*$/, `${embeddable(ribbon)}</Entity>`));
  }
  for (const p of under('Roles/', '.xml')) push('Roles', embeddable(need(p)));
  for (const p of under('Other/Relationships/', '.xml')) push('EntityRelationships', childrenOf(need(p)));
  for (const p of under('OptionSets/', '.xml')) push('optionsets', embeddable(need(p)));

  for (const p of under('WebResources/', '.data.xml')) {
    const data = need(p);
    const { name, id } = webResourceOf(data);
    const content = outputs.webResources.get(name);
    if (!content) {
      skipped.push(`web resource ${name}`);
      removeRootComponent(solution, 61, name);
      continue;
    }
    const fileName = `/WebResources/${packedWebResourceFileName(name, id)}`;
    push('WebResources', embeddable(data).replace(/<FileName>[^<]*<\/FileName>/, `<FileName>${fileName}</FileName>`));
    files.set(fileName.slice(1), new Uint8Array(content));
  }

  for (const p of under('Controls/', '/ControlManifest.xml.data.xml')) {
    const name = decodeXml(/<Name>([^<]*)<\/Name>/.exec(need(p))?.[1] ?? '');
    const control = outputs.controls.find((c) => c.definition.name === name);
    if (!control) {
      skipped.push(`control ${name}`);
      removeRootComponent(solution, 66, name);
      continue;
    }
    push('CustomControls', embeddable(need(p)));
    for (const [rel, bytes] of control.files) files.set(`Controls/${name}/${rel}`, new Uint8Array(bytes));
  }

  for (const p of under('SdkMessageProcessingSteps/', '.xml')) push('SdkMessageProcessingSteps', embeddable(need(p)));
  if (source.has('PluginAssemblies/ServiceEndpoints.xml')) push('ServiceEndpoints', childrenOf(need('PluginAssemblies/ServiceEndpoints.xml')));
  for (const p of under('environmentvariabledefinitions/')) files.set(p, utf8(need(p)));

  // customizations.xml: the skeleton's empty sections filled in order, then re-serialized (well-formed, one indentation).
  let customizations = need('Other/Customizations.xml');
  for (const [section, parts] of sections) {
    if (parts.length === 0) continue;
    const empty = new RegExp(`<${section}\\s*/>`);
    if (!empty.test(customizations)) throw new Error(`Other/Customizations.xml has no empty <${section} /> to fill: run npm run generate -w @pfb/solution`);
    customizations = customizations.replace(empty, `<${section}>${parts.join('')}</${section}>`);
  }
  const customizationsXml = serialize(parseXml(customizations), { bom: true });

  let solutionXml = serialize(solution, { bom: true });
  if (!/<Managed>2<\/Managed>/.test(solutionXml)) throw new Error('Other/Solution.xml must say <Managed>2</Managed> (both): run npm run generate -w @pfb/solution');
  solutionXml = solutionXml.replace('<Managed>2</Managed>', `<Managed>${input.managed ? 1 : 0}</Managed>`);

  const rest = [...files.keys()].sort();
  const ordered: Array<[string, Uint8Array]> = [
    ['[Content_Types].xml', utf8(renderContentTypes(['solution.xml', 'customizations.xml', ...rest]))],
    ['solution.xml', utf8(solutionXml)],
    ['customizations.xml', utf8(customizationsXml)],
    ...rest.map((p): [string, Uint8Array] => [p, files.get(p) as Uint8Array]),
  ];
  return { zip: zipFiles(ordered), files: new Map(ordered), skipped };
}



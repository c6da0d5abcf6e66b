/**
 * A RibbonDiffXml read into what a command bar needs: the buttons of each location with their labels resolved for a
 * language (`$LocLabels:<id>` → LocLabels/Titles), the command definitions (enable rules, display rules, actions with
 * their parameters, in order), and the rule definitions. Parsed with fast-xml-parser in document order, so it reads
 * the same in a page and in Node.
 */
import { XMLParser } from 'fast-xml-parser';

export interface XmlNode {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}

type Raw = Record<string, unknown>;

function toNodes(raw: unknown): XmlNode[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item: Raw) => {
    const name = Object.keys(item).find((k) => k !== ':@' && k !== '#text' && !k.startsWith('?'));
    if (!name) return [];
    const attributes = (item[':@'] as Record<string, string> | undefined) ?? {};
    return [{ name, attributes, children: toNodes(item[name]) }];
  });
}

export function parseXml(xml: string): XmlNode[] {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', preserveOrder: true, parseAttributeValue: false, trimValues: true });
  return toNodes(parser.parse(xml) as unknown);
}

const child = (node: XmlNode | undefined, name: string): XmlNode | undefined => node?.children.find((c) => c.name === name);
const childrenNamed = (node: XmlNode | undefined, name: string): XmlNode[] => node?.children.filter((c) => c.name === name) ?? [];

export type Parameter = { readonly kind: 'crm'; readonly value: string } | { readonly kind: 'string' | 'bool' | 'int' | 'decimal'; readonly value: string };

export interface JsAction {
  readonly library: string;
  readonly functionName: string;
  readonly parameters: readonly Parameter[];
}

export interface CommandModel {
  readonly id: string;
  readonly enableRules: readonly string[];
  readonly displayRules: readonly string[];
  readonly actions: readonly JsAction[];
}

export interface ButtonModel {
  readonly id: string;
  readonly location: string;
  readonly sequence: number;
  readonly command: string;
  readonly label: string;
  readonly alt: string;
  readonly tooltip: string;
}

export interface RibbonModel {
  readonly buttons: readonly ButtonModel[];
  readonly commands: ReadonlyMap<string, CommandModel>;
  /** Rule id → the rule's clauses (all must hold). */
  readonly enableRules: ReadonlyMap<string, readonly XmlNode[]>;
  readonly displayRules: ReadonlyMap<string, readonly XmlNode[]>;
}

const PARAMETER_KINDS: Readonly<Record<string, Parameter['kind']>> = {
  CrmParameter: 'crm',
  StringParameter: 'string',
  BoolParameter: 'bool',
  IntParameter: 'int',
  DecimalParameter: 'decimal',
};

export function parametersOf(node: XmlNode): Parameter[] {
  return node.children.filter((c) => PARAMETER_KINDS[c.name]).map((c) => ({ kind: PARAMETER_KINDS[c.name] as Parameter['kind'], value: c.attributes['Value'] ?? '' }) as Parameter);
}

/** Reads one RibbonDiffXml; labels in `lcid`, falling back to 1033, then to the first title. */
export function readRibbonDiff(xml: string, lcid: number): RibbonModel {
  const root = parseXml(xml).find((n) => n.name === 'RibbonDiffXml');
  if (!root) throw new Error('Not a RibbonDiffXml document.');
  const labels = new Map<string, string>();
  for (const loc of childrenNamed(child(root, 'LocLabels'), 'LocLabel')) {
    const titles = childrenNamed(child(loc, 'Titles'), 'Title');
    const pick = titles.find((t) => Number(t.attributes['languagecode']) === lcid) ?? titles.find((t) => t.attributes['languagecode'] === '1033') ?? titles[0];
    if (pick) labels.set(loc.attributes['Id'] ?? '', pick.attributes['description'] ?? '');
  }
  const text = (value: string | undefined): string => (value?.startsWith('$LocLabels:') ? (labels.get(value.slice('$LocLabels:'.length)) ?? value) : (value ?? ''));

  const buttons: ButtonModel[] = [];
  for (const action of childrenNamed(child(root, 'CustomActions'), 'CustomAction')) {
    const button = child(child(action, 'CommandUIDefinition'), 'Button');
    if (!button) continue;
    buttons.push({
      id: button.attributes['Id'] ?? '',
      location: action.attributes['Location'] ?? '',
      sequence: Number(button.attributes['Sequence'] ?? action.attributes['Sequence'] ?? 0),
      command: button.attributes['Command'] ?? '',
      label: text(button.attributes['LabelText']),
      alt: text(button.attributes['Alt']),
      tooltip: [text(button.attributes['ToolTipTitle']), text(button.attributes['ToolTipDescription'])].filter(Boolean).join(': '),
    });
  }

  const commands = new Map<string, CommandModel>();
  for (const def of childrenNamed(child(root, 'CommandDefinitions'), 'CommandDefinition')) {
    commands.set(def.attributes['Id'] ?? '', {
      id: def.attributes['Id'] ?? '',
      enableRules: childrenNamed(child(def, 'EnableRules'), 'EnableRule').map((r) => r.attributes['Id'] ?? ''),
      displayRules: childrenNamed(child(def, 'DisplayRules'), 'DisplayRule').map((r) => r.attributes['Id'] ?? ''),
      actions: childrenNamed(child(def, 'Actions'), 'JavaScriptFunction').map((f) => ({
        library: f.attributes['Library'] ?? '',
        functionName: f.attributes['FunctionName'] ?? '',
        parameters: parametersOf(f),
      })),
    });
  }

  const rules = (group: string, item: string): Map<string, readonly XmlNode[]> =>
    new Map(childrenNamed(child(child(root, 'RuleDefinitions'), group), item).map((r) => [r.attributes['Id'] ?? '', r.children]));

  return { buttons, commands, enableRules: rules('EnableRules', 'EnableRule'), displayRules: rules('DisplayRules', 'DisplayRule') };
}

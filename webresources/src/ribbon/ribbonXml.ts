/**
 * Renders an EntityRibbon as RibbonDiffXml, in the element order Dataverse exports and RibbonCore.xsd requires:
 * CustomActions, Templates, CommandDefinitions, RuleDefinitions (TabDisplayRules, DisplayRules, EnableRules),
 * LocLabels (dataverse-facts §6.3). Labels are `$LocLabels:<id>` references resolved per language from LocLabels.
 */
import { BUTTON_LABELS, LABEL_LANGUAGES, type ButtonLabels } from './labels';
import { LIBRARY, functionNameOf, locationOf, type CrmParameterValue, type DisplayRuleDef, type EnableRuleDef, type EntityRibbon } from './definition';

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

type Attributes = Readonly<Record<string, string | number | boolean | undefined>>;

function element(name: string, attributes: Attributes, children: readonly string[] = [], indent = 0): string {
  const pad = '  '.repeat(indent);
  const attrs = Object.entries(attributes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escape(String(v))}"`)
    .join('');
  if (children.length === 0) return `${pad}<${name}${attrs} />`;
  return `${pad}<${name}${attrs}>\n${children.join('\n')}\n${pad}</${name}>`;
}

/** LocLabel ids of a button's texts: `<button id>.LabelText`, `.Alt`, `.ToolTipTitle`, `.ToolTipDescription`. */
const LABEL_PARTS: readonly (readonly [attribute: string, part: keyof ButtonLabels])[] = [
  ['LabelText', 'label'],
  ['Alt', 'alt'],
  ['ToolTipTitle', 'tooltipTitle'],
  ['ToolTipDescription', 'tooltipDescription'],
];

const parameters = (values: readonly CrmParameterValue[], indent: number): string[] => values.map((v) => element('CrmParameter', { Value: v }, [], indent));

function enableRule(rule: EnableRuleDef, indent: number): string {
  let body: string;
  if (rule.kind === 'selectionCount') body = element('SelectionCountRule', { AppliesTo: 'SelectedEntity', Minimum: rule.minimum }, [], indent + 1);
  else if (rule.kind === 'formNotCreate') body = element('FormStateRule', { State: 'Create', InvertResult: true }, [], indent + 1);
  else body = element('CustomRule', { Library: LIBRARY, FunctionName: functionNameOf(rule.fn) }, parameters(rule.parameters, indent + 2), indent + 1);
  return element('EnableRule', { Id: rule.id }, [body], indent);
}

function displayRule(rule: DisplayRuleDef, indent: number): string {
  const body =
    rule.kind === 'entityPrivilege'
      ? element('EntityPrivilegeRule', { EntityName: rule.entity, PrivilegeType: rule.privilege, PrivilegeDepth: rule.depth }, [], indent + 1)
      : element('FormStateRule', { State: 'Create', InvertResult: true }, [], indent + 1);
  return element('DisplayRule', { Id: rule.id }, [body], indent);
}

export function renderRibbonDiff(ribbon: EntityRibbon): string {
  const customActions = ribbon.buttons.map((b) =>
    element('CustomAction', { Id: `${b.id}.CustomAction`, Location: locationOf(ribbon.entity, b.surface), Sequence: b.sequence }, [
      element('CommandUIDefinition', {}, [
        element(
          'Button',
          {
            Id: b.id,
            Command: b.command,
            Sequence: b.sequence,
            TemplateAlias: 'o1',
            ...Object.fromEntries(LABEL_PARTS.map(([attribute]) => [attribute, `$LocLabels:${b.id}.${attribute}`])),
          },
          [],
          4,
        ),
      ], 3),
    ], 2),
  );
  const commands = ribbon.commands.map((c) =>
    element('CommandDefinition', { Id: c.id }, [
      element('EnableRules', {}, c.enableRules.map((id) => element('EnableRule', { Id: id }, [], 4)), 3),
      element('DisplayRules', {}, c.displayRules.map((id) => element('DisplayRule', { Id: id }, [], 4)), 3),
      element('Actions', {}, [element('JavaScriptFunction', { Library: LIBRARY, FunctionName: functionNameOf(c.fn) }, parameters(c.parameters, 5), 4)], 3),
    ], 2),
  );
  const locLabels = ribbon.buttons.flatMap((b) =>
    LABEL_PARTS.map(([attribute, part]) =>
      element('LocLabel', { Id: `${b.id}.${attribute}` }, [
        element('Titles', {}, LABEL_LANGUAGES.map((lcid) => element('Title', { description: BUTTON_LABELS[b.labels][part], languagecode: lcid }, [], 5)), 4),
      ], 3),
    ),
  );
  const root = element('RibbonDiffXml', {}, [
    element('CustomActions', {}, customActions, 1),
    element('Templates', {}, [element('RibbonTemplates', { Id: 'Mscrm.Templates' }, [], 2)], 1),
    element('CommandDefinitions', {}, commands, 1),
    element('RuleDefinitions', {}, [
      element('TabDisplayRules', {}, [], 2),
      element('DisplayRules', {}, ribbon.displayRules.map((r) => displayRule(r, 3)), 2),
      element('EnableRules', {}, ribbon.enableRules.map((r) => enableRule(r, 3)), 2),
    ], 1),
    element('LocLabels', {}, locLabels, 1),
  ]);
  return `<?xml version="1.0" encoding="utf-8"?>\n${root}\n`;
}

/** File name the solution packer reads: `<table>.RibbonDiff.xml` (solution/src/inputs/buildOutputs.ts). */
export const ribbonFileName = (entity: string): string => `${entity}.RibbonDiff.xml`;

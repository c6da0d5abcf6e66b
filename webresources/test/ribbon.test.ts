/**
 * The RibbonDiffXml files the solution packer takes: generated from ribbon/definition.ts and committed, valid against
 * the reference ribbon schemas (alone, and inside an entity of customizations.xml), every label localised, every
 * function they call present in the built commands bundle.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { msdyn_project, msdyn_projecttask, pfb_tasksync } from '@pfb/domain';
import { readRibbonDiff, parseXml, type XmlNode } from '../../sandbox/xrm/src/ribbon/ribbonModel';
import { ENTITY_RIBBONS } from '../src/ribbon/definition';
import { COMMAND_FUNCTIONS, COMMANDS_WEB_RESOURCE, commandFunction } from '../src/ribbon/commandIds';
import { BUTTON_LABELS } from '../src/ribbon/labels';
import { ribbonFileName } from '../src/ribbon/ribbonXml';
import { bundleWebResources } from '../scripts/bundle';
import { RIBBON_DIR, staleGeneratedFiles } from '../scripts/generate';
import { validate } from './support/xmllint';

const files = ENTITY_RIBBONS.map((r) => ({ entity: r.entity, file: path.join(RIBBON_DIR, ribbonFileName(r.entity)) }));
const read = (file: string): string => fs.readFileSync(file, 'utf8');

function all(nodes: readonly XmlNode[], name: string): XmlNode[] {
  return nodes.flatMap((n) => [...(n.name === name ? [n] : []), ...all(n.children, name)]);
}

describe('RibbonDiffXml files', () => {
  it('exist for the two tables the solution extends, and are what the definitions generate (not stale)', () => {
    expect(files.map((f) => f.entity)).toEqual([msdyn_projecttask.logicalName, msdyn_project.logicalName]);
    for (const f of files) expect(fs.existsSync(f.file)).toBe(true);
    expect(staleGeneratedFiles()).toEqual([]);
  });

  it.each(files)('$entity validates against RibbonCore.xsd with xmllint', ({ file }) => {
    const result = validate(read(file), 'RibbonCore.xsd');
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  });

  it.each(files)('$entity validates as the RibbonDiffXml of its entity in customizations.xml (CustomizationsSolution.xsd)', ({ entity, file }) => {
    const ribbon = read(file).replace(/^<\?xml[^?]*\?>\s*/, '');
    const doc = `<?xml version="1.0" encoding="utf-8"?>
<ImportExportXml xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <Entities>
    <Entity>
      <Name LocalizedName="${entity}" OriginalName="${entity}">${entity}</Name>
      ${ribbon}
    </Entity>
  </Entities>
</ImportExportXml>`;
    const result = validate(doc, 'CustomizationsSolution.xsd');
    expect(result.output).toBe('');
  });

  it('the schema check is not a formality: a ribbon with a misplaced element or a made-up parameter fails', () => {
    const good = read(files[0]?.file as string);
    expect(validate(good.replace('<CrmParameter Value="SelectedControl" />', '<CrmParameter Value="SelectedRecords" />'), 'RibbonCore.xsd').ok).toBe(false);
    expect(validate(good.replace(/<LocLabels>[\s\S]*<\/LocLabels>/, '').replace('<CustomActions>', '<LocLabels /><CustomActions>'), 'RibbonCore.xsd').ok).toBe(false);
  });

  it('places the commands where coordinators work: task home grid, the project’s task subgrid, the task form and the project form', () => {
    const task = readRibbonDiff(read(files[0]?.file as string), 1033);
    const project = readRibbonDiff(read(files[1]?.file as string), 1033);
    expect(task.buttons.map((b) => [b.location, b.label])).toEqual([
      ['Mscrm.HomepageGrid.msdyn_projecttask.MainTab.Management.Controls._children', 'Ready to Sync'],
      ['Mscrm.HomepageGrid.msdyn_projecttask.MainTab.Management.Controls._children', 'Cancel field work'],
      ['Mscrm.SubGrid.msdyn_projecttask.MainTab.Management.Controls._children', 'Ready to Sync'],
      ['Mscrm.SubGrid.msdyn_projecttask.MainTab.Management.Controls._children', 'Cancel field work'],
      ['Mscrm.Form.msdyn_projecttask.MainTab.Save.Controls._children', 'Ready to Sync'],
      ['Mscrm.Form.msdyn_projecttask.MainTab.Save.Controls._children', 'Cancel field work'],
    ]);
    expect(project.buttons.map((b) => [b.location, b.label])).toEqual([['Mscrm.Form.msdyn_project.MainTab.Save.Controls._children', 'Sync all ready tasks']]);

    const grid = task.commands.get('pfb.msdyn_projecttask.ReadyToSync.Grid.Command');
    expect(grid?.actions).toEqual([
      {
        library: `$webresource:${COMMANDS_WEB_RESOURCE}`,
        functionName: commandFunction('readyToSyncFromGrid'),
        parameters: ['SelectedControlSelectedItemIds', 'SelectedControl', 'PrimaryEntityTypeName', 'FirstPrimaryItemId'].map((value) => ({ kind: 'crm', value })),
      },
    ]);
    expect(task.commands.get('pfb.msdyn_projecttask.ReadyToSync.Form.Command')?.actions[0]?.parameters).toEqual([{ kind: 'crm', value: 'PrimaryControl' }]);
    // Enable rules: a selection, the privilege, the state (async custom rule). Display rule: Create on pfb_tasksync.
    const rules = grid?.enableRules.map((id) => task.enableRules.get(id)?.map((c) => [c.name, c.attributes['FunctionName'] ?? c.attributes['Minimum']]));
    expect(rules).toEqual([[['SelectionCountRule', '1']], [['CustomRule', commandFunction('canRequestSync')]], [['CustomRule', commandFunction('canMarkSelection')]]]);
    const display = grid?.displayRules.map((id) => task.displayRules.get(id)?.[0]?.attributes);
    expect(display).toEqual([{ EntityName: pfb_tasksync.logicalName, PrivilegeType: 'Create', PrivilegeDepth: 'Basic' }]);
  });

  it('every label is a LocLabel with a 1033 title; nothing is hard-coded in the buttons', () => {
    for (const { file } of files) {
      const root = parseXml(read(file));
      const ids = new Set(all(root, 'LocLabel').map((l) => l.attributes['Id']));
      for (const button of all(root, 'Button')) {
        for (const attribute of ['LabelText', 'Alt', 'ToolTipTitle', 'ToolTipDescription']) {
          const value = button.attributes[attribute] ?? '';
          expect(value).toMatch(/^\$LocLabels:/);
          expect(ids.has(value.slice('$LocLabels:'.length))).toBe(true);
        }
      }
      for (const label of all(root, 'LocLabel')) expect(all([label], 'Title').map((t) => t.attributes['languagecode'])).toContain('1033');
    }
    const texts = readRibbonDiff(read(files[0]?.file as string), 1033).buttons.map((b) => b.tooltip);
    expect(texts).toContain(`${BUTTON_LABELS.ReadyToSync.tooltipTitle}: ${BUTTON_LABELS.ReadyToSync.tooltipDescription}`);
  });

  it('every function the ribbon calls exists in the built commands bundle (run as a web resource runs)', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pfb-wr-'));
    try {
      await bundleWebResources({ distDir: path.join(out, 'dist'), mapsDir: path.join(out, 'maps') });
      const bundle = fs.readFileSync(path.join(out, 'dist', COMMANDS_WEB_RESOURCE), 'utf8');
      // No source map comment: maps stay out of the solution.
      expect(bundle).not.toMatch(/sourceMappingURL/);
      expect(fs.existsSync(path.join(out, 'maps', `${COMMANDS_WEB_RESOURCE}.map`))).toBe(true);
      const sandbox: Record<string, unknown> = {};
      vm.runInNewContext(bundle, sandbox);
      const called = files.flatMap(({ file }) => [...read(file).matchAll(/FunctionName="([^"]+)"/g)].map((m) => m[1] as string));
      expect(new Set(called)).toEqual(new Set(COMMAND_FUNCTIONS.map(commandFunction)));
      for (const name of called) {
        const fn = name.split('.').reduce<unknown>((o, part) => (o as Record<string, unknown> | undefined)?.[part], sandbox);
        expect(typeof fn).toBe('function');
      }
      const root = sandbox['ProjectFieldBridge'] as { ReadyToSync?: { run?: unknown }; CancelFieldWork?: { run?: unknown } };
      expect(typeof root.ReadyToSync?.run).toBe('function');
      expect(typeof root.CancelFieldWork?.run).toBe('function');
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

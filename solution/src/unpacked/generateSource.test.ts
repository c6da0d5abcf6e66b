/**
 * The unpacked source is generated from the schema module, so it cannot drift from the local Dataverse and the
 * bridge: the committed solution/unpacked/ must be exactly what the definitions generate, and every table, column,
 * key and choice of ours in the schema must be in it — counted from the XML, not from the generator's own lists.
 */
import { schema, type ColumnDef } from '@pfb/domain';
import { child, children, parseElementTree } from '../check/elementTree';
import { SECURITY_ROLES } from '../definition/securityRoles';
import { STEPS } from '../definition/webhooks';
import { generateSource, solutionContents } from './generateSource';
import { diffTrees, readSourceTree } from './sourceTree';

const source = generateSource(solutionContents());
const xml = (path: string): ReturnType<typeof parseElementTree> => {
  const text = source.get(path);
  if (text === undefined) throw new Error(`no ${path} in the generated source`);
  return parseElementTree(text);
};

describe('the committed unpacked source', () => {
  it('is exactly what the schema module and the definitions generate (else: npm run generate -w @pfb/solution)', () => {
    expect(diffTrees(source, readSourceTree())).toEqual([]);
  });
});

describe('the unpacked layout', () => {
  it('has the files SolutionPackager and pac solution unpack write', () => {
    const paths = [...source.keys()];
    for (const required of ['Other/Solution.xml', 'Other/Customizations.xml', 'Other/Relationships.xml', 'PluginAssemblies/ServiceEndpoints.xml']) expect(paths).toContain(required);
    expect(paths).toContain('Entities/pfb_tasksync/Entity.xml');
    expect(paths).toContain('Entities/pfb_tasksync/RibbonDiff.xml');
    expect(paths).toContain('Entities/BookableResourceBooking/Entity.xml');
    expect(paths).toContain('OptionSets/pfb_syncstatus.xml');
    expect(paths).toContain('environmentvariabledefinitions/pfb_BridgeUrl/environmentvariabledefinition.xml');
    expect(paths).toContain('WebResources/pfb_/scripts/commands.js.data.xml');
    expect(paths).toContain('Controls/pfb_ProjectFieldBridge.WbsWorkOrderGrid/ControlManifest.xml.data.xml');
    for (const r of SECURITY_ROLES) expect(paths).toContain(`Roles/${r.name}.xml`);
    for (const s of STEPS) expect(paths).toContain(`SdkMessageProcessingSteps/{${s.id}}.xml`);
    // The ribbon tables' RibbonDiff comes from the web resource build at pack time, not from the source.
    expect(paths).not.toContain('Entities/msdyn_projecttask/RibbonDiff.xml');
  });

  it('Other/Solution.xml is the unpacked "both" manifest with publisher pfb and option value prefix 72431', () => {
    const m = child(xml('Other/Solution.xml'), 'SolutionManifest');
    expect(child(m, 'Managed')?.text).toBe('2');
    expect(child(child(m, 'Publisher'), 'CustomizationPrefix')?.text).toBe('pfb');
    expect(child(child(m, 'Publisher'), 'CustomizationOptionValuePrefix')?.text).toBe('72431');
  });
});

describe('tables, columns, keys and choices come from the schema module', () => {
  const entity = (schemaName: string): ReturnType<typeof child> => child(child(xml(`Entities/${schemaName}/Entity.xml`), 'EntityInfo'), 'entity');
  const attributeNames = (schemaName: string): string[] => children(child(entity(schemaName), 'attributes'), 'attribute').map((a) => child(a, 'LogicalName')?.text ?? '');

  it('every table of ours, with every column', () => {
    for (const t of schema.tables.filter((x) => x.origin === 'pfb')) {
      expect([t.logicalName, attributeNames(t.schemaName).sort()]).toEqual([t.logicalName, Object.keys(t.columns).sort()]);
      expect(child(entity(t.schemaName), 'EntitySetName')?.text).toBe(t.entitySetName);
    }
  });

  it('every pfb_ column added to a Microsoft table, and nothing of Microsoft\'s', () => {
    const byTable = new Map<string, ColumnDef[]>();
    for (const t of schema.tables.filter((x) => x.origin !== 'pfb')) {
      const added = Object.values(t.columns).filter((c) => c.addedBySolution);
      if (added.length) byTable.set(t.logicalName, added);
    }
    expect(byTable.size).toBeGreaterThan(0);
    const entities = [...source.keys()].filter((p) => p.endsWith('/Entity.xml'));
    for (const [table, added] of byTable) {
      const file = entities.find((p) => p.toLowerCase() === `entities/${table}/entity.xml`);
      expect([table, file !== undefined]).toEqual([table, true]);
      const schemaName = (file as string).split('/')[1] as string;
      expect(entity(schemaName)?.attributes['unmodified']).toBe('1');
      expect(attributeNames(schemaName).sort()).toEqual(added.map((c) => c.logicalName).sort());
    }
  });

  it('every alternate key, with its columns', () => {
    const keysOf = (schemaName: string): string[] =>
      children(child(entity(schemaName), 'EntityKeys'), 'EntityKey').map((k) => `${child(k, 'Name')?.text ?? ''}:${children(child(k, 'EntityKeyAttributes'), 'AttributeName').map((a) => a.text).join('+')}`);
    expect(keysOf('pfb_tasksync')).toEqual(['pfb_tasksync_projecttask:pfb_projecttask']);
    expect(keysOf('pfb_fieldevent')).toEqual(['pfb_fieldevent_eventid:pfb_eventid']);
    expect(keysOf('msdyn_workorder')).toEqual(['pfb_workorder_sourcekey:pfb_sourcekey']);
  });

  it('every choice of ours with its values and labels; columns refer to it by name', () => {
    const status = xml('OptionSets/pfb_syncstatus.xml');
    const options = children(child(status, 'options'), 'option').map((o) => [Number(o.attributes['value']), child(child(o, 'labels'), 'label')?.attributes['description']]);
    const expected = schema.table('pfb_tasksync')?.columns['pfb_syncstatus']?.optionSet?.options.map((o) => [o.value, o.label]);
    expect(options).toEqual(expected);
    expect(options[0]).toEqual([724310000, 'Ready to Sync']);
    const column = children(child(entity('pfb_tasksync'), 'attributes'), 'attribute').find((a) => child(a, 'LogicalName')?.text === 'pfb_syncstatus');
    expect(child(column, 'OptionSetName')?.text).toBe('pfb_syncstatus');
  });

  it('column types, lengths, ranges and requirement levels as the schema declares them', () => {
    const attr = (schemaName: string, name: string): ReturnType<typeof child> =>
      children(child(entity(schemaName), 'attributes'), 'attribute').find((a) => child(a, 'LogicalName')?.text === name);
    expect(child(attr('pfb_tasksync', 'pfb_name'), 'MaxLength')?.text).toBe('400');
    expect(child(attr('pfb_tasksync', 'pfb_name'), 'RequiredLevel')?.text).toBe('systemrequired');
    expect(child(attr('pfb_tasksync', 'pfb_project'), 'RequiredLevel')?.text).toBe('required');
    expect(child(attr('pfb_tasksync', 'pfb_percentcomplete'), 'MaxValue')?.text).toBe('100');
    expect(child(attr('pfb_tasksync', 'pfb_percentcomplete'), 'Type')?.text).toBe('decimal');
    expect(child(attr('pfb_tasksync', 'pfb_tasksyncid'), 'Type')?.text).toBe('primarykey');
    expect(child(attr('pfb_fieldevent', 'pfb_payload'), 'Type')?.text).toBe('ntext');
    expect(child(attr('BookableResourceBooking', 'pfb_fieldstageon'), 'Behavior')?.text).toBe('1');
  });

  it('every relationship of a lookup of ours, grouped by parent table, with both navigation properties', () => {
    const all = [...source.keys()].filter((p) => p.startsWith('Other/Relationships/')).flatMap((p) => children(xml(p), 'EntityRelationship'));
    const ours = schema.relationships.filter((r) => r.referencingEntity.startsWith('pfb_') || r.referencingAttribute.startsWith('pfb_'));
    expect(all.map((r) => r.attributes['Name']).sort()).toEqual(ours.map((r) => r.schemaName).sort());
    const toTask = all.find((r) => child(r, 'ReferencingAttributeName')?.text === 'pfb_projecttask' && child(r, 'ReferencingEntityName')?.text === 'pfb_tasksync');
    expect(child(toTask, 'CascadeDelete')?.text).toBe('Cascade');
    const roles = children(child(toTask, 'EntityRelationshipRoles'), 'EntityRelationshipRole').map((x) => child(x, 'NavigationPropertyName')?.text);
    const rel = ours.find((r) => r.referencingEntity === 'pfb_tasksync' && r.referencingAttribute === 'pfb_projecttask');
    expect(roles).toEqual([rel?.referencingNavigationProperty, rel?.referencedNavigationProperty]);
  });
});

import { buildSchema, col, defineTable, optionSet, schema, type SchemaModel, type TableDef } from '@pfb/domain';
import { edmTypeOf } from './edm';
import { buildCsdl, escapeXml } from './metadata';

// ---- a deliberately strict, tiny XML reader: elements and attributes only (the document has no text) ----------

interface El {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: El[];
}

function decodeEntities(text: string): string {
  return text.replace(/&([^;]*);/g, (_m, e: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (e in named) return named[e] as string;
    throw new Error(`unknown entity &${e};`);
  });
}

function parseXml(text: string): El {
  let i = 0;
  const decl = /^<\?xml [^?]*\?>/.exec(text);
  if (!decl) throw new Error('missing XML declaration');
  i = decl[0].length;
  const stack: El[] = [];
  let root: El | undefined;
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*="[^"<]*")*)\s*(\/?)>/y;
  const attr = /\s+([A-Za-z_][\w.:-]*)="([^"<]*)"/g;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const between = text.slice(i, lt === -1 ? text.length : lt);
    if (between.trim() !== '') throw new Error(`unexpected text ${JSON.stringify(between.trim().slice(0, 40))} at ${i}`);
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(text);
    if (!m) throw new Error(`malformed tag at ${lt}: ${text.slice(lt, lt + 60)}`);
    const [, closing, name, attrText, selfClosing] = m as unknown as [string, string, string, string, string];
    i = tag.lastIndex;
    if (closing) {
      if (attrText || selfClosing) throw new Error(`malformed end tag </${name}>`);
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText.matchAll(attr)) {
      const [, k, v] = a as unknown as [string, string, string];
      if (k in attrs) throw new Error(`duplicate attribute ${k} on <${name}>`);
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(v)) throw new Error(`bare & in ${k} on <${name}>`);
      attrs[k] = decodeEntities(v);
    }
    const el: El = { name, attrs, children: [] };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else if (root) throw new Error('second root element');
    else root = el;
    if (!selfClosing) stack.push(el);
  }
  if (stack.length) throw new Error(`unclosed <${stack.map((e) => e.name).join('> <')}>`);
  if (!root) throw new Error('no root element');
  return root;
}

const kids = (el: El | undefined, name: string): El[] => (el ? el.children.filter((c) => c.name === name) : []);
const kid = (el: El | undefined, name: string, attr?: [string, string]): El | undefined =>
  kids(el, name).find((c) => !attr || c.attrs[attr[0]] === attr[1]);

function document(model: SchemaModel) {
  const root = parseXml(buildCsdl(model));
  const s = kid(kid(root, 'edmx:DataServices'), 'Schema');
  const container = kid(s, 'EntityContainer');
  const entityType = (name: string): El | undefined => kid(s, 'EntityType', ['Name', name]);
  return { root, schemaEl: s, container, entityType };
}

// ---- the product's schema --------------------------------------------------------------------------------------

describe('buildCsdl for the product schema', () => {
  const { root, schemaEl, container, entityType } = document(schema);

  it('is EDMX 4.0 with the Microsoft.Dynamics.CRM namespace, alias mscrm and the System container', () => {
    expect(root.name).toBe('edmx:Edmx');
    expect(root.attrs['Version']).toBe('4.0');
    expect(schemaEl?.attrs).toMatchObject({ Namespace: 'Microsoft.Dynamics.CRM', Alias: 'mscrm' });
    expect(container?.attrs['Name']).toBe('System');
    expect(entityType('crmbaseentity')?.attrs['Abstract']).toBe('true');
  });

  it.each(schema.tables.map((t) => [t.logicalName, t] as const))('%s: entity type with its key, properties and entity set', (_name, t: TableDef) => {
    const et = entityType(t.logicalName);
    expect(et?.attrs['BaseType']).toBe('mscrm.crmbaseentity');
    expect(kids(kid(et, 'Key'), 'PropertyRef').map((p) => p.attrs['Name'])).toEqual([t.primaryIdAttribute]);
    expect(kid(et, 'Property', ['Name', t.primaryIdAttribute])?.attrs['Type']).toBe('Edm.Guid');
    const props = kids(et, 'Property').map((p) => p.attrs['Name']);
    for (const c of Object.values(t.columns)) {
      const expected = c.type === 'lookup' || c.type === 'owner' || c.type === 'customer' ? `_${c.logicalName}_value` : c.logicalName;
      expect(props).toContain(expected);
    }
    const set = kid(container, 'EntitySet', ['Name', t.entitySetName]);
    expect(set?.attrs['EntityType']).toBe(`Microsoft.Dynamics.CRM.${t.logicalName}`);
  });

  it('bookableresourcebooking has the navigation properties DESIGN §6 names, with their partners and bindings', () => {
    const booking = entityType('bookableresourcebooking');
    const expectations = [
      ['Resource', 'bookableresource', '_resource_value', 'bookableresourceid', 'bookableresources'],
      ['BookingStatus', 'bookingstatus', '_bookingstatus_value', 'bookingstatusid', 'bookingstatuses'],
      ['msdyn_workorder', 'msdyn_workorder', '_msdyn_workorder_value', 'msdyn_workorderid', 'msdyn_workorders'],
      ['msdyn_resourcerequirement', 'msdyn_resourcerequirement', '_msdyn_resourcerequirement_value', 'msdyn_resourcerequirementid', 'msdyn_resourcerequirements'],
    ] as const;
    const set = kid(container, 'EntitySet', ['Name', 'bookableresourcebookings']);
    for (const [nav, target, fk, pk, targetSet] of expectations) {
      const np = kid(booking, 'NavigationProperty', ['Name', nav]);
      expect(np?.attrs['Type']).toBe(`mscrm.${target}`);
      expect(kid(np, 'ReferentialConstraint')?.attrs).toEqual({ Property: fk, ReferencedProperty: pk });
      expect(kid(booking, 'Property', ['Name', fk])?.attrs['Type']).toBe('Edm.Guid');
      // The partner is a collection of bookings on the target, pointing back.
      const partner = kid(entityType(target), 'NavigationProperty', ['Name', np?.attrs['Partner'] ?? '?']);
      expect(partner?.attrs).toMatchObject({ Type: 'Collection(mscrm.bookableresourcebooking)', Partner: nav });
      expect(kid(set, 'NavigationPropertyBinding', ['Path', nav])?.attrs['Target']).toBe(targetSet);
    }
  });

  it('every navigation property points at a declared type, and every Partner and binding resolves', () => {
    const declared = new Set(kids(schemaEl, 'EntityType').map((e) => e.attrs['Name']));
    const sets = new Set(kids(container, 'EntitySet').map((e) => e.attrs['Name']));
    let count = 0;
    for (const et of kids(schemaEl, 'EntityType')) {
      const names = [...kids(et, 'Property'), ...kids(et, 'NavigationProperty')].map((p) => p.attrs['Name']);
      expect(new Set(names).size).toBe(names.length);
      for (const np of kids(et, 'NavigationProperty')) {
        count++;
        const type = np.attrs['Type'] ?? '';
        const target = /^(?:Collection\()?mscrm\.(\w+)\)?$/.exec(type)?.[1] ?? '';
        expect(declared).toContain(target);
        const partnerName = np.attrs['Partner'];
        if (partnerName) {
          const partner = kid(entityType(target), 'NavigationProperty', ['Name', partnerName]);
          expect(partner?.attrs['Partner']).toBe(np.attrs['Name']);
        }
      }
      for (const b of kids(kid(container, 'EntitySet', ['EntityType', `Microsoft.Dynamics.CRM.${et.attrs['Name'] ?? ''}`]), 'NavigationPropertyBinding')) {
        expect(sets).toContain(b.attrs['Target']);
      }
    }
    expect(count).toBe(schema.relationships.length * 2);
  });

  it('publishes alternate keys (msdyn_workorder by pfb_sourcekey)', () => {
    const annotation = kid(entityType('msdyn_workorder'), 'Annotation', ['Term', 'OData.Community.Keys.V1.AlternateKeys']);
    const ref = kid(kid(kid(kid(kid(annotation, 'Collection'), 'Record'), 'PropertyValue'), 'Collection'), 'Record');
    expect(kids(ref, 'PropertyValue').map((p) => p.attrs)).toEqual([
      { Property: 'Alias', String: 'pfb_sourcekey' },
      { Property: 'Name', PropertyPath: 'pfb_sourcekey' },
    ]);
  });

  it('declares the implemented functions and actions', () => {
    const fn = kid(schemaEl, 'Function', ['Name', 'WhoAmI']);
    expect(kid(fn, 'ReturnType')?.attrs['Type']).toBe('mscrm.WhoAmIResponse');
    expect(kids(kid(schemaEl, 'ComplexType', ['Name', 'WhoAmIResponse']), 'Property').map((p) => [p.attrs['Name'], p.attrs['Type']])).toEqual([
      ['BusinessUnitId', 'Edm.Guid'],
      ['UserId', 'Edm.Guid'],
      ['OrganizationId', 'Edm.Guid'],
    ]);
    expect(kid(container, 'FunctionImport', ['Name', 'WhoAmI'])?.attrs['Function']).toBe('Microsoft.Dynamics.CRM.WhoAmI');

    for (const name of ['CreateMultiple', 'UpdateMultiple', 'UpsertMultiple']) {
      const action = kid(schemaEl, 'Action', ['Name', name]);
      expect(action?.attrs['IsBound']).toBe('true');
      expect(kids(action, 'Parameter').map((p) => [p.attrs['Name'], p.attrs['Type']])).toEqual([
        ['entityset', 'Collection(mscrm.crmbaseentity)'],
        ['Targets', 'Collection(mscrm.crmbaseentity)'],
      ]);
      expect(kid(container, 'ActionImport', ['Name', name])).toBeUndefined();
    }
    expect(kid(kid(schemaEl, 'Action', ['Name', 'CreateMultiple']), 'ReturnType')?.attrs['Type']).toBe('mscrm.CreateMultipleResponse');

    const params = (name: string): string[] => kids(kid(schemaEl, 'Action', ['Name', name]), 'Parameter').map((p) => `${p.attrs['Name']}:${p.attrs['Type']}`);
    expect(params('msdyn_CreateOperationSetV1')).toEqual(['ProjectId:Edm.String', 'Description:Edm.String']);
    expect(params('msdyn_PssCreateV1')).toEqual(['Entity:mscrm.crmbaseentity', 'OperationSetId:Edm.String']);
    expect(params('msdyn_PssUpdateV1')).toEqual(['Entity:mscrm.crmbaseentity', 'OperationSetId:Edm.String']);
    expect(params('msdyn_PssDeleteV1')).toEqual(['RecordId:Edm.String', 'EntityLogicalName:Edm.String', 'OperationSetId:Edm.String']);
    expect(params('msdyn_ExecuteOperationSetV1')).toEqual(['OperationSetId:Edm.String']);
    expect(params('msdyn_AbandonOperationSetV1')).toEqual(['OperationSetId:Edm.String']);
    expect(kids(kid(schemaEl, 'ComplexType', ['Name', 'msdyn_CreateOperationSetV1Response']), 'Property')[0]?.attrs).toMatchObject({ Name: 'OperationSetId', Type: 'Edm.String' });
    for (const name of ['msdyn_PssCreateV1', 'msdyn_PssUpdateV1', 'msdyn_PssDeleteV1', 'msdyn_ExecuteOperationSetV1', 'msdyn_AbandonOperationSetV1']) {
      expect(kid(container, 'ActionImport', ['Name', name])?.attrs['Action']).toBe(`Microsoft.Dynamics.CRM.${name}`);
      expect(kids(kid(schemaEl, 'ComplexType', ['Name', `${name}Response`]), 'Property')[0]?.attrs).toMatchObject({ Name: 'OperationSetResponse', Type: 'Edm.String' });
    }
  });

  it('is deterministic, whatever the order the tables are declared in', () => {
    const text = buildCsdl(schema);
    expect(buildCsdl(schema)).toBe(text);
    expect(buildCsdl(buildSchema([...schema.tables].reverse()))).toBe(text);
  });
});

// ---- a small schema of our own: every column type, and lookups to tables that are not modelled -----------------

describe('buildCsdl for any schema', () => {
  const parent = defineTable({
    logicalName: 'pfb_parent',
    entitySetName: 'pfb_parents',
    displayName: 'Parent',
    displayCollectionName: 'Parents',
    primaryNameAttribute: 'pfb_name',
    ownership: 'None',
    objectTypeCode: 19990,
    origin: 'pfb',
    columns: [col.text('pfb_name', 'Name')],
  });
  const child = defineTable({
    logicalName: 'pfb_child',
    entitySetName: 'pfb_children',
    displayName: 'Child',
    displayCollectionName: 'Children',
    primaryNameAttribute: 'pfb_name',
    ownership: 'UserOwned',
    objectTypeCode: 19991,
    origin: 'pfb',
    columns: [
      col.text('pfb_name', 'Name'),
      col.memo('pfb_notes', 'Notes'),
      col.int('pfb_count', 'Count'),
      col.bigint('pfb_big', 'Big'),
      col.decimal('pfb_hours', 'Hours'),
      col.double('pfb_lat', 'Latitude'),
      col.money('pfb_cost', 'Cost'),
      col.bool('pfb_done', 'Done'),
      col.dateTime('pfb_when', 'When'),
      col.dateTime('pfb_day', 'Day', 'DateOnly'),
      col.choice('pfb_kind', 'Kind', optionSet('pfb_kind', [{ value: 724310000, label: 'A & B <c>' }])),
      col.lookup('pfb_parent', 'Parent', 'pfb_parent'),
      col.lookup('pfb_elsewhere', 'Elsewhere', 'account'),
    ],
    alternateKeys: [{ schemaName: 'pfb_child_parentname', displayName: 'Parent and name', columns: ['pfb_parent', 'pfb_name'] }],
  });
  const model = buildSchema([child, parent]);
  const { entityType, container } = document(model);

  it('maps every column type to its Edm type', () => {
    const types = Object.fromEntries(kids(entityType('pfb_child'), 'Property').map((p) => [p.attrs['Name'], p.attrs]));
    expect(types['pfb_childid']).toMatchObject({ Type: 'Edm.Guid', Nullable: 'false' });
    expect(types['pfb_name']).toMatchObject({ Type: 'Edm.String' });
    expect(types['pfb_notes']).toMatchObject({ Type: 'Edm.String' });
    expect(types['pfb_count']).toMatchObject({ Type: 'Edm.Int32' });
    expect(types['pfb_big']).toMatchObject({ Type: 'Edm.Int64' });
    expect(types['pfb_hours']).toMatchObject({ Type: 'Edm.Decimal', Scale: 'Variable' });
    expect(types['pfb_lat']).toMatchObject({ Type: 'Edm.Double' });
    expect(types['pfb_cost']).toMatchObject({ Type: 'Edm.Decimal', Scale: 'Variable' });
    expect(types['pfb_done']).toMatchObject({ Type: 'Edm.Boolean' });
    expect(types['pfb_when']).toMatchObject({ Type: 'Edm.DateTimeOffset' });
    expect(types['pfb_day']).toMatchObject({ Type: 'Edm.Date' });
    expect(types['pfb_kind']).toMatchObject({ Type: 'Edm.Int32' });
    expect(types['statecode']).toMatchObject({ Type: 'Edm.Int32' });
    expect(types['statuscode']).toMatchObject({ Type: 'Edm.Int32' });
    expect(types['versionnumber']).toMatchObject({ Type: 'Edm.Int64' });
    expect(types['_pfb_parent_value']).toMatchObject({ Type: 'Edm.Guid' });
    expect(types['_ownerid_value']).toMatchObject({ Type: 'Edm.Guid' });
    expect(types['pfb_parent']).toBeUndefined();
  });

  it('navigates to modelled targets only; unmodelled lookups keep their _value property', () => {
    const navs = kids(entityType('pfb_child'), 'NavigationProperty').map((n) => n.attrs['Name']);
    expect(navs).toEqual(['pfb_parent']);
    expect(kid(entityType('pfb_child'), 'Property', ['Name', '_pfb_elsewhere_value'])).toBeDefined();
    expect(kid(entityType('pfb_parent'), 'NavigationProperty', ['Name', 'pfb_pfb_parent_pfb_child_parent'])?.attrs).toEqual({
      Name: 'pfb_pfb_parent_pfb_child_parent',
      Type: 'Collection(mscrm.pfb_child)',
      Partner: 'pfb_parent',
    });
    expect(kid(kid(container, 'EntitySet', ['Name', 'pfb_parents']), 'NavigationPropertyBinding')?.attrs).toEqual({
      Path: 'pfb_pfb_parent_pfb_child_parent',
      Target: 'pfb_children',
    });
  });

  it('alternate keys on lookups name the _value property', () => {
    const text = buildCsdl(model);
    expect(text).toContain('<PropertyValue Property="Alias" String="pfb_parent" />');
    expect(text).toContain('<PropertyValue Property="Name" PropertyPath="_pfb_parent_value" />');
  });

  it('edmTypeOf and escapeXml', () => {
    expect(edmTypeOf(child.columns.pfb_day)).toBe('Edm.Date');
    expect(escapeXml(`a & b < "c" > 'd'`)).toBe('a &amp; b &lt; &quot;c&quot; &gt; &apos;d&apos;');
  });

  it('the reader in this test rejects what it should (so the well-formedness checks can fail)', () => {
    expect(() => parseXml('<?xml version="1.0"?><a><b></a></b>')).toThrow();
    expect(() => parseXml('<?xml version="1.0"?><a x="1 & 2" />')).toThrow();
    expect(() => parseXml('<?xml version="1.0"?><a><b>')).toThrow();
    expect(() => parseXml('<?xml version="1.0"?><a x="1" x="2" />')).toThrow();
    expect(parseXml('<?xml version="1.0"?><a x="&lt;&amp;"><b /></a>')).toEqual({ name: 'a', attrs: { x: '<&' }, children: [{ name: 'b', attrs: {}, children: [] }] });
  });
});

/**
 * `GET $metadata` over HTTP: the CSDL document clients (DynamicsWebApi, OData code generators, Power Automate)
 * read, checked against the schema module and against what the same server answers — every entity set it
 * declares can be queried, every navigation property it declares can be expanded, every operation it declares is
 * routed.
 */
import { bookableresourcebooking, schema, type TableDef } from '@pfb/domain';
import type { RunningDataverse } from '@pfb/sandbox';
import { client, startTestDataverse, type Client, type HttpResult } from '../support/sandbox';

let dv: RunningDataverse;
let api: Client;
let res: HttpResult;
let root: XmlElement;

// ---- a tiny XML reader: enough to check the tags balance and to look elements up by name and attribute --------------

interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Reads an element-only document (CSDL has no text content); throws when tags do not balance. */
function readXml(text: string): XmlElement {
  const body = text.replace(/^<\?xml[^?]*\?>\s*/, '');
  const open: XmlElement[] = [];
  let top: XmlElement | undefined;
  let end = 0;
  for (const m of body.matchAll(/<(\/?)([\w.:-]+)((?:\s+[\w.:-]+="[^"]*")*)\s*(\/?)>/g)) {
    if (body.slice(end, m.index).trim() !== '') throw new Error(`text or a broken tag before ${m[0]}`);
    end = m.index + m[0].length;
    const [, closing, name = '', attrText = '', selfClosing] = m;
    if (closing) {
      const last = open.pop();
      if (last?.name !== name) throw new Error(`</${name}> closes <${last?.name ?? 'nothing'}>`);
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const [, k = '', v = ''] of attrText.matchAll(/([\w.:-]+)="([^"]*)"/g)) attributes[k] = v.replace(/&(\w+);/g, (e, n: string) => ENTITIES[n] ?? e);
    const element: XmlElement = { name, attributes, children: [] };
    const parent = open[open.length - 1];
    if (parent) parent.children.push(element);
    else if (top) throw new Error(`a second root <${name}>`);
    else top = element;
    if (!selfClosing) open.push(element);
  }
  if (body.slice(end).trim() !== '') throw new Error('text after the root element');
  if (open.length) throw new Error(`unclosed <${open.map((e) => e.name).join('>, <')}>`);
  if (!top) throw new Error('no root element');
  return top;
}

const childrenOf = (el: XmlElement | undefined, name: string): XmlElement[] => el?.children.filter((c) => c.name === name) ?? [];
const childOf = (el: XmlElement | undefined, name: string, attribute?: string, value?: string): XmlElement | undefined =>
  childrenOf(el, name).find((c) => attribute === undefined || c.attributes[attribute] === value);

const schemaElement = (): XmlElement | undefined => childOf(childOf(root, 'edmx:DataServices'), 'Schema');
const container = (): XmlElement | undefined => childOf(schemaElement(), 'EntityContainer');
const entityType = (logicalName: string): XmlElement | undefined => childOf(schemaElement(), 'EntityType', 'Name', logicalName);

beforeAll(async () => {
  dv = await startTestDataverse();
  api = client(dv.url);
  res = await api.get('$metadata', { Accept: 'application/xml' });
  root = readXml(res.text);
});
afterAll(() => dv.close());

describe('the document', () => {
  it('is served as application/xml, OData 4.0', () => {
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(res.headers.get('odata-version')).toBe('4.0');
    expect(res.text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  });

  it('is EDMX 4.0 with one schema in the Microsoft.Dynamics.CRM namespace and the System container', () => {
    expect(root.name).toBe('edmx:Edmx');
    expect(root.attributes['Version']).toBe('4.0');
    expect(childrenOf(childOf(root, 'edmx:DataServices'), 'Schema')).toHaveLength(1);
    expect(schemaElement()?.attributes).toMatchObject({ Namespace: 'Microsoft.Dynamics.CRM', Alias: 'mscrm' });
    expect(container()?.attributes['Name']).toBe('System');
  });

  it('the reader refuses unbalanced tags (so the checks above can fail)', () => {
    expect(() => readXml('<?xml version="1.0"?><a><b></a></b>')).toThrow(/closes/);
    expect(() => readXml('<?xml version="1.0"?><a><b/>')).toThrow(/unclosed/);
  });
});

describe('entity sets and types', () => {
  it('declares exactly the schema\'s tables, each once', () => {
    const sets = childrenOf(container(), 'EntitySet').map((s) => s.attributes['Name']);
    expect([...sets].sort()).toEqual(schema.tables.map((t) => t.entitySetName).sort());
  });

  it.each(schema.tables.map((t) => [t.entitySetName, t] as const))('%s: entity set, entity type and key, and the set answers queries', async (_set, t: TableDef) => {
    const set = childOf(container(), 'EntitySet', 'Name', t.entitySetName);
    expect(set?.attributes['EntityType']).toBe(`Microsoft.Dynamics.CRM.${t.logicalName}`);
    const type = entityType(t.logicalName);
    expect(childrenOf(childOf(type, 'Key'), 'PropertyRef').map((p) => p.attributes['Name'])).toEqual([t.primaryIdAttribute]);
    expect(childOf(type, 'Property', 'Name', t.primaryIdAttribute)?.attributes).toMatchObject({ Type: 'Edm.Guid', Nullable: 'false' });

    const query = await api.get(`${t.entitySetName}?$select=${t.primaryNameAttribute}&$top=1`);
    expect(query.status).toBe(200);
    expect(query.json()['@odata.context']).toBe(`${dv.url}/$metadata#${t.entitySetName}(${t.primaryNameAttribute})`);
  });
});

describe('bookableresourcebooking navigation properties', () => {
  const expected = [
    ['Resource', 'bookableresource', '_resource_value'],
    ['BookingStatus', 'bookingstatus', '_bookingstatus_value'],
    ['msdyn_workorder', 'msdyn_workorder', '_msdyn_workorder_value'],
    ['msdyn_resourcerequirement', 'msdyn_resourcerequirement', '_msdyn_resourcerequirement_value'],
  ] as const;

  it.each(expected)('%s → %s, constrained by %s, bound to the target set, and expandable', async (nav, target, lookup) => {
    const property = childOf(entityType(bookableresourcebooking.logicalName), 'NavigationProperty', 'Name', nav);
    expect(property?.attributes['Type']).toBe(`mscrm.${target}`);
    const targetTable = schema.table(target) as TableDef;
    expect(childOf(property, 'ReferentialConstraint')?.attributes).toEqual({ Property: lookup, ReferencedProperty: targetTable.primaryIdAttribute });
    const binding = childOf(childOf(container(), 'EntitySet', 'Name', bookableresourcebooking.entitySetName), 'NavigationPropertyBinding', 'Path', nav);
    expect(binding?.attributes['Target']).toBe(targetTable.entitySetName);

    const expand = await api.get(`${bookableresourcebooking.entitySetName}?$select=name&$expand=${nav}($select=${targetTable.primaryNameAttribute})`);
    expect(expand.status).toBe(200);
  });
});

describe('operations', () => {
  const declared = (kind: 'Action' | 'Function', name: string): XmlElement | undefined => childOf(schemaElement(), kind, 'Name', name);

  it('WhoAmI is an unbound function with an import and a WhoAmIResponse, and the server answers it', async () => {
    expect(declared('Function', 'WhoAmI')?.attributes['IsBound']).toBeUndefined();
    expect(childOf(container(), 'FunctionImport', 'Name', 'WhoAmI')?.attributes['Function']).toBe('Microsoft.Dynamics.CRM.WhoAmI');
    expect(childOf(declared('Function', 'WhoAmI'), 'ReturnType')?.attributes['Type']).toBe('mscrm.WhoAmIResponse');
    const props = childrenOf(childOf(schemaElement(), 'ComplexType', 'Name', 'WhoAmIResponse'), 'Property').map((p) => p.attributes['Name']).sort();
    const answer = (await api.get('WhoAmI')).json();
    expect(props).toEqual(Object.keys(answer).filter((k) => !k.startsWith('@')).sort());
  });

  it.each(['CreateMultiple', 'UpdateMultiple', 'UpsertMultiple'])('%s is an action bound to a collection, taking Targets, and the server routes it', async (name) => {
    const action = declared('Action', name);
    expect(action?.attributes['IsBound']).toBe('true');
    const params = childrenOf(action, 'Parameter');
    expect(params[0]?.attributes['Type']).toMatch(/^Collection\(mscrm\.\w+\)$/);
    expect(params.map((p) => p.attributes['Name'])).toContain('Targets');
    expect(childOf(container(), 'ActionImport', 'Name', name)).toBeUndefined();
    // An empty call is refused by the action itself, not as an unknown segment.
    const call = await api.post(`${bookableresourcebooking.entitySetName}/Microsoft.Dynamics.CRM.${name}`, {});
    expect(call.status).toBe(400);
    expect(call.text).not.toMatch(/Resource not found/);
  });

  it.each(['msdyn_CreateOperationSetV1', 'msdyn_PssCreateV1', 'msdyn_ExecuteOperationSetV1'])('%s is an unbound action with an import, and the server routes it', async (name) => {
    expect(declared('Action', name)?.attributes['IsBound']).toBeUndefined();
    expect(childOf(container(), 'ActionImport', 'Name', name)?.attributes['Action']).toBe(`Microsoft.Dynamics.CRM.${name}`);
    // An empty call fails inside the action (a missing project or operation set), not as an unknown segment.
    const call = await api.post(name, {});
    expect(call.status).toBeGreaterThanOrEqual(400);
    expect(call.text).not.toMatch(/Resource not found/);
  });

  it('an operation the document does not declare is not routed either', async () => {
    expect(declared('Action', 'NoSuchAction')).toBeUndefined();
    const call = await api.post('NoSuchAction', {});
    expect(call.status).toBe(404);
    expect((call.json()['error'] as { message: string }).message).toBe("Resource not found for the segment 'NoSuchAction'.");
  });
});

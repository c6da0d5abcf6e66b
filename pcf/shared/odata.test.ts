import { chunk, inFilter, nextLinkOptions, normaliseGuid, queryOptions, retrieveAll } from './odata';
import { FakeWebApi } from '../testing/fakeWebApi';
import { pfb_tasksync } from './schemaNames';
import { guid } from '../testing/fixtures';

describe('odata helpers', () => {
  it('builds an In filter over distinct, normalised GUIDs and refuses anything else', () => {
    const a = guid('task', 1);
    expect(inFilter('pfb_projecttask', [a, `{${a.toUpperCase()}}`, guid('task', 2)])).toBe(
      `Microsoft.Dynamics.CRM.In(PropertyName='pfb_projecttask',PropertyValues=['${a}','${guid('task', 2)}'])`,
    );
    expect(() => inFilter('x', ["1' or 1 eq 1"])).toThrow(/no valid ids/);
    expect(normaliseGuid("x' or true")).toBeNull();
  });

  it('chunks and composes query options', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(queryOptions({ select: ['a', 'b'], filter: 'a eq 1', orderBy: 'b desc', expand: 'n($select=c)', top: 3 })).toBe('?$select=a,b&$expand=n($select=c)&$filter=a eq 1&$orderby=b desc&$top=3');
    expect(nextLinkOptions('https://org/api/data/v9.2/accounts?$select=name&$skiptoken=%3Ccookie%3E')).toBe('?$select=name&$skiptoken=%3Ccookie%3E');
  });

  it('reads every page by following the next link, one request at a time', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({ [pfb_tasksync.primaryIdAttribute]: guid('ts', i), pfb_name: `T${i}` }));
    const api = new FakeWebApi({ [pfb_tasksync.logicalName]: rows });
    const all = await retrieveAll(api, pfb_tasksync.logicalName, '?$select=pfb_name', 5);
    expect(all.map((r) => r['pfb_name'])).toEqual(rows.map((r) => r.pfb_name));
    expect(api.requests()).toHaveLength(3);
    expect(api.requests()[1]?.options).toMatch(/\$skiptoken=5/);
  });
});

/**
 * Paging cookies remember where a page ended (the ordering keys of its last row), as Dataverse's do: a row added
 * or removed before the current position between two page requests neither repeats nor skips a row.
 */
import { useTestDataverse } from '../support/sandbox';

const env = useTestDataverse();

const page = { Prefer: 'odata.maxpagesize=3' };

async function names(link: string): Promise<{ names: string[]; next?: string }> {
  const res = await env.api.get(link.slice(env.dv.url.length + 1), page);
  const body = res.json<{ value: { name: string }[]; '@odata.nextLink'?: string }>();
  return { names: body.value.map((v) => v.name), next: body['@odata.nextLink'] };
}

it('does not skip a row when rows of an earlier page are deleted between requests', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 9; i += 1) {
    const res = await env.api.post('accounts', { name: `Site ${String(i).padStart(2, '0')}`, revenue: (i % 3) * 1000 }, { Prefer: 'return=representation' });
    ids.push(res.json()['accountid'] as string);
  }
  const first = await names(`${env.dv.url}/accounts?$select=name&$orderby=name desc`);
  expect(first.names).toEqual(['Site 08', 'Site 07', 'Site 06']);
  // The first page's rows disappear before the client asks for the next page.
  for (const id of ids.slice(6)) expect((await env.api.delete(`accounts(${id})`)).status).toBe(204);
  const second = await names(first.next as string);
  expect(second.names).toEqual(['Site 05', 'Site 04', 'Site 03']);
  // A row that sorts before the current position appears on no later page; nothing repeats.
  await env.api.post('accounts', { name: 'Site 99' });
  const third = await names(second.next as string);
  expect(third.names).toEqual(['Site 02', 'Site 01', 'Site 00']);
  expect(third.next).toBeUndefined();
});

it('pages through ties and nulls in a non-unique ordering without losing or repeating rows', async () => {
  for (let i = 0; i < 7; i += 1) await env.api.post('accounts', { name: `Tie ${i}`, revenue: i % 2 === 0 ? null : 500 });
  const seen: string[] = [];
  let link: string | undefined = `${env.dv.url}/accounts?$select=name&$filter=startswith(name,'Tie')&$orderby=revenue desc`;
  while (link) {
    const p: { names: string[]; next?: string } = await names(link);
    seen.push(...p.names);
    link = p.next;
  }
  expect([...seen].sort()).toEqual(['Tie 0', 'Tie 1', 'Tie 2', 'Tie 3', 'Tie 4', 'Tie 5', 'Tie 6']);
});

it('refuses a $skiptoken it did not issue', async () => {
  const res = await env.api.get('accounts?$skiptoken=%3Ccookie%20pagenumber=%222%22%20/%3E', page);
  expect(res.status).toBe(400);
  expect((res.json()['error'] as { message: string }).message).toMatch(/follow @odata.nextLink/);
});

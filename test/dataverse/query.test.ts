/**
 * OData queries over HTTP: $select, $filter, $orderby, $top, $count, $expand, navigation paths and server-driven
 * paging, replaying the published samples where one exists (page-results, select-columns and bulk-operations
 * "Availability with standard tables"; SOURCES.md §4–5) and dataverse-facts §5.5 for paging rules.
 * All data is written through the Web API.
 */
import { CustomerType, customerTypeOptionSet, msdyn_project, msdyn_workorder } from '@pfb/domain';
import { sdkMessageFilterId, type RunningDataverse } from '@pfb/sandbox';
import { client, readRequestSample, readResponseSample, shapeOf, startTestDataverse, type Client, type HttpResult } from '../support/sandbox';

let dv: RunningDataverse;
let api: Client;

type Row = Record<string, unknown>;

/** Microsoft's placeholder for the service root in the samples. */
const ORG_ROOT = '[Organization URI]/api/data/v9.2';
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

// ---- seed: accounts and their contacts ---------------------------------------------------------------------------

interface SeedAccount {
  readonly name: string;
  readonly revenue: number;
  readonly type: number;
  readonly parent?: string;
  readonly ownedByTeam?: boolean;
  id?: string;
  primaryContact?: SeedContact;
}

interface SeedContact {
  readonly firstname: string;
  readonly lastname: string;
  /** Name of the parent account; undefined = no parent. */
  readonly account?: string;
  id?: string;
}

const ACCOUNTS: SeedAccount[] = [
  { name: 'Litware, Inc.', revenue: 20000, type: CustomerType.Competitor, ownedByTeam: true },
  { name: 'Adventure Works', revenue: 150000, type: CustomerType.Customer },
  { name: 'Contoso Towers', revenue: 500000, type: CustomerType.Customer },
  { name: 'Contoso Towers North', revenue: 75000, type: CustomerType.Partner, parent: 'Contoso Towers' },
  { name: 'Northwind Masts', revenue: 5000, type: CustomerType.Vendor, parent: 'Contoso Towers', ownedByTeam: true },
];
/** Accounts that get contacts (Northwind Masts has none: `all` over an empty collection is true). */
const WITH_CONTACTS = ACCOUNTS.slice(0, 4).map((a) => a.name);
const FIRST_NAMES = ['Yvonne', 'Susanna', 'Nancy', 'Maria', 'Rosa', 'Paul'];
/** Few last names, so ordering by last name has ties. */
const LAST_NAMES = ['McKay', 'Stubberod', 'Anderson', 'Campbell', 'Diaz'];
const CONTACTS: SeedContact[] = FIRST_NAMES.flatMap((firstname, i) =>
  LAST_NAMES.map((lastname, j) => ({ firstname, lastname, account: WITH_CONTACTS[(i + j) % WITH_CONTACTS.length] })),
);
// One contact without a parent account.
CONTACTS.push({ firstname: 'Ada', lastname: 'Diaz' });

const accountNamed = (name: string): SeedAccount => ACCOUNTS.find((a) => a.name === name) as SeedAccount;
const contactsOf = (name: string): SeedContact[] => CONTACTS.filter((c) => c.account === name);
const fullName = (c: SeedContact): string => `${c.firstname} ${c.lastname}`;
let usdId: string;
let teamId: string;

async function created(res: Promise<HttpResult>, idName: string): Promise<string> {
  const r = await res;
  if (r.status !== 201) throw new Error(`seed failed: ${r.status} ${r.text}`);
  return r.json()[idName] as string;
}

beforeAll(async () => {
  dv = await startTestDataverse();
  api = client(dv.url);
  const rep = { Prefer: 'return=representation' };
  usdId = (await api.get("transactioncurrencies?$select=currencyname&$filter=isocurrencycode eq 'USD'")).json<{ value: Row[] }>().value[0]?.['transactioncurrencyid'] as string;
  teamId = (await api.get('teams?$select=name&$filter=isdefault eq true')).json<{ value: Row[] }>().value[0]?.['teamid'] as string;
  for (const a of ACCOUNTS) {
    const body: Row = { name: a.name, revenue: a.revenue, customertypecode: a.type, 'transactioncurrencyid@odata.bind': `/transactioncurrencies(${usdId})` };
    if (a.parent) body['parentaccountid@odata.bind'] = `/accounts(${accountNamed(a.parent).id as string})`;
    if (a.ownedByTeam) body['ownerid@odata.bind'] = `/teams(${teamId})`;
    a.id = await created(api.post('accounts?$select=accountid', body, rep), 'accountid');
  }
  for (const c of CONTACTS) {
    const body: Row = { firstname: c.firstname, lastname: c.lastname };
    if (c.account) body['parentcustomerid_account@odata.bind'] = `/accounts(${accountNamed(c.account).id as string})`;
    c.id = await created(api.post('contacts?$select=contactid', body, rep), 'contactid');
  }
  // Every account gets a primary contact (Northwind's works for another account).
  for (const [i, a] of ACCOUNTS.entries()) {
    a.primaryContact = contactsOf(a.name)[0] ?? (CONTACTS[i] as SeedContact);
    const res = await api.patch(`accounts(${a.id as string})`, { 'primarycontactid@odata.bind': `/contacts(${a.primaryContact.id as string})` }, { 'If-Match': '*' });
    if (res.status !== 204) throw new Error(`seed failed: ${res.status} ${res.text}`);
  }
});
afterAll(() => dv.close());

// ---- helpers -----------------------------------------------------------------------------------------------------

async function ok(path: string, headers?: Record<string, string>): Promise<{ res: HttpResult; body: Row; value: Row[] }> {
  const res = await api.get(path, headers);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text}`);
  const body = res.json();
  return { res, body, value: (body['value'] ?? []) as Row[] };
}

/** The `name` of every account a query returns, sorted. */
async function accountNames(query: string): Promise<string[]> {
  const { value } = await ok(`accounts?$select=name&${query}`);
  return value.map((r) => r['name'] as string).sort();
}

const expectedNames = (pred: (a: SeedAccount) => boolean): string[] => ACCOUNTS.filter(pred).map((a) => a.name).sort();

async function error(path: string, headers?: Record<string, string>): Promise<{ status: number; message: string }> {
  const res = await api.get(path, headers);
  return { status: res.status, message: (res.json()['error'] as { message: string } | undefined)?.message ?? '' };
}

/** Follows `@odata.nextLink` (sending the same headers each time), returning every page. */
async function allPages(path: string, headers: Record<string, string>): Promise<Row[]> {
  const pages: Row[] = [];
  let next: string | undefined = path;
  while (next !== undefined) {
    const { body } = await ok(next, headers);
    pages.push(body);
    const link = body['@odata.nextLink'] as string | undefined;
    if (link !== undefined) expect(link.startsWith(`${dv.url}/`)).toBe(true);
    next = link?.slice(dv.url.length + 1);
    if (pages.length > 100) throw new Error('paging does not end');
  }
  return pages;
}

const rowsOf = (pages: Row[]): Row[] => pages.flatMap((p) => p['value'] as Row[]);

/** A nextLink with the service root and GUIDs replaced, to compare its structure with the sample's. */
const linkStructure = (link: string, root: string): string => link.replace(root, 'ROOT').replace(GUID, 'GUID');

/** The paging cookie inside a nextLink, decoded the way a client would read it. */
function cookieOf(link: string): { pagenumber: string; page: string; first: string; last: string } {
  const token = new URL(link.replace(ORG_ROOT, 'http://org')).searchParams.get('$skiptoken') ?? '';
  const outer = /^<cookie pagenumber="(\d+)" pagingcookie="([^"]*)" istracking="False" \/>$/.exec(token);
  const inner = decodeURIComponent(outer?.[2] ?? '');
  const m = /^<cookie page="(\d+)"><(\w+) last="\{([0-9A-F-]{36})\}" first="\{([0-9A-F-]{36})\}" \/><\/cookie>$/.exec(inner);
  return { pagenumber: outer?.[1] ?? '', page: m?.[1] ?? '', last: m?.[3] ?? '', first: m?.[4] ?? '' };
}

// ---- published samples -------------------------------------------------------------------------------------------

describe('paging (query-paging-page1/page2 samples)', () => {
  it('page 1: two rows, Preference-Applied, and a nextLink that is the same URL plus a Dataverse paging cookie', async () => {
    const request = readRequestSample('query-paging-page1.request.http');
    const printed = readResponseSample('query-paging-page1.response.http');
    const sample = JSON.parse(printed.body) as Row;
    const { res, body, value } = await ok(request.path, request.headers);
    expect(res.headers.get('preference-applied')).toBe(printed.headers['Preference-Applied']);
    expect(value).toHaveLength(2);
    expect(shapeOf(body)).toEqual(shapeOf(sample));
    expect(body['@odata.context']).toBe((sample['@odata.context'] as string).replace(ORG_ROOT, dv.url));

    const link = body['@odata.nextLink'] as string;
    expect(link.startsWith(`${dv.url}/${request.path}&$skiptoken=`)).toBe(true);
    expect(linkStructure(link, dv.url)).toBe(linkStructure(sample['@odata.nextLink'] as string, ORG_ROOT));
    // The cookie names the page just read: its first and last primary keys, upper case in braces.
    expect(cookieOf(link)).toEqual({
      pagenumber: '2',
      page: '1',
      first: (value[0]?.['contactid'] as string).toUpperCase(),
      last: (value[1]?.['contactid'] as string).toUpperCase(),
    });
    expect(cookieOf(sample['@odata.nextLink'] as string)).toMatchObject({ pagenumber: '2', page: '1' });
  });

  it('following nextLinks returns every row exactly once, in order; page 2 is shaped like the sample; the last page has no nextLink', async () => {
    const request = readRequestSample('query-paging-page1.request.http');
    const page2 = JSON.parse(readResponseSample('query-paging-page2.response.http').body) as Row;
    const pages = await allPages(request.path, request.headers);
    const unpaged = (await ok(request.path)).value;
    expect(unpaged).toHaveLength(CONTACTS.length);
    expect(rowsOf(pages).map((r) => r['contactid'])).toEqual(unpaged.map((r) => r['contactid']));
    expect(pages).toHaveLength(Math.ceil(CONTACTS.length / 2));

    expect(shapeOf(pages[1])).toEqual(shapeOf(page2));
    const link2 = pages[1]?.['@odata.nextLink'] as string;
    expect(linkStructure(link2, dv.url)).toBe(linkStructure(page2['@odata.nextLink'] as string, ORG_ROOT));
    expect(cookieOf(link2)).toMatchObject({ pagenumber: '3', page: '2' });

    const last = pages[pages.length - 1] as Row;
    expect(last).not.toHaveProperty('@odata.nextLink');
    expect((last['value'] as Row[]).length).toBeGreaterThan(0);
  });

  it('paging keeps $filter and $orderby; rows with equal sort values are neither lost nor repeated across pages', async () => {
    const query = 'contacts?$select=fullname,lastname&$filter=lastname ne null&$orderby=lastname desc';
    const headers = { Prefer: 'odata.maxpagesize=4' };
    const first = await allPages(query, headers);
    const again = await allPages(query, headers);
    const ids = rowsOf(first).map((r) => r['contactid']);
    expect(new Set(ids).size).toBe(CONTACTS.length);
    expect(rowsOf(again).map((r) => r['contactid'])).toEqual(ids);
    expect(ids).toEqual((await ok(query)).value.map((r) => r['contactid']));
    const lastNames = rowsOf(first).map((r) => r['lastname'] as string);
    expect(lastNames).toEqual([...lastNames].sort().reverse());
    for (const page of first) expect(page['@odata.context']).toBe(`${dv.url}/$metadata#contacts(fullname,lastname)`);
  });

  it('$top is ignored when odata.maxpagesize is sent (facts §5.5)', async () => {
    const headers = { Prefer: 'odata.maxpagesize=5' };
    const { res, value, body } = await ok('contacts?$select=fullname&$top=3', headers);
    expect(res.headers.get('preference-applied')).toBe('odata.maxpagesize=5');
    expect(value).toHaveLength(5);
    expect(body['@odata.nextLink']).toEqual(expect.any(String));
    expect(rowsOf(await allPages('contacts?$select=fullname&$top=3', headers))).toHaveLength(CONTACTS.length);
  });

  it('refuses a page size over 5,000 and accepts 5,000', async () => {
    const refused = await error('contacts?$select=fullname', { Prefer: 'odata.maxpagesize=5001' });
    expect(refused.status).toBe(400);
    expect(refused.message).toMatch(/maxpagesize/);
    const { res, body } = await ok('contacts?$select=fullname', { Prefer: 'odata.maxpagesize=5000' });
    expect(res.headers.get('preference-applied')).toBe('odata.maxpagesize=5000');
    expect(body).not.toHaveProperty('@odata.nextLink');
  });
});

describe('columns and annotations (select-columns samples)', () => {
  it('query-select-columns: context lists the selected columns; the row has them, the money column\'s currency and the key', async () => {
    const request = readRequestSample('query-select-columns.request.http');
    const printed = readResponseSample('query-select-columns.response.http');
    const sample = JSON.parse(printed.body) as Row;
    const { res, body, value } = await ok(request.path, request.headers);
    expect(res.headers.get('content-type')).toContain(printed.headers['Content-Type']);
    expect(res.headers.get('odata-version')).toBe(printed.headers['OData-Version']);
    expect(body['@odata.context']).toBe((sample['@odata.context'] as string).replace(ORG_ROOT, dv.url));
    expect(shapeOf(body)).toEqual(shapeOf(sample));
    const row = value[0] as Row;
    const seeded = ACCOUNTS.find((a) => a.id === row['accountid']);
    expect(row).toEqual({ '@odata.etag': expect.stringMatching(/^W\/"\d+"$/), name: seeded?.name, revenue: seeded?.revenue, _transactioncurrencyid_value: usdId, accountid: seeded?.id });
  });

  it('query-formatted-values: money, choice, date-time and lookups carry the sample\'s FormattedValue annotations', async () => {
    const request = readRequestSample('query-formatted-values.request.http');
    const printed = readResponseSample('query-formatted-values.response.http');
    const sample = JSON.parse(printed.body) as { value: Row[] };
    const { res, value } = await ok(request.path, request.headers);
    expect(res.headers.get('preference-applied')).toBe(printed.headers['Preference-Applied']);
    const row = value[0] as Row;
    const printedRow = sample.value[0] as Row;
    expect(Object.keys(row).sort()).toEqual(Object.keys(printedRow).sort());
    expect(shapeOf(row).sort()).toEqual(shapeOf(printedRow).sort());

    const F = '@OData.Community.Display.V1.FormattedValue';
    const seeded = ACCOUNTS.find((a) => a.id === row['accountid']) as SeedAccount;
    // The sample's formats (en-US): "$20,000.00", "4/7/2023 2:59 PM"; both sides must match them.
    const money = /^\$\d{1,3}(,\d{3})*\.\d{2}$/;
    const dateTime = /^\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2} (AM|PM)$/;
    for (const r of [row, printedRow]) {
      expect(r[`revenue${F}`]).toMatch(money);
      expect(r[`modifiedon${F}`]).toMatch(dateTime);
    }
    expect(row[`revenue${F}`]).toBe(`$${seeded.revenue.toLocaleString('en-US')}.00`);
    expect(row[`customertypecode${F}`]).toBe(customerTypeOptionSet.options.find((o) => o.value === seeded.type)?.label);
    expect(row[`_primarycontactid_value${F}`]).toBe(fullName(seeded.primaryContact as SeedContact));
    expect(row[`_transactioncurrencyid_value${F}`]).toBe('US Dollar');
    expect(printedRow[`_transactioncurrencyid_value${F}`]).toBe('US Dollar');
  });

  it('query-lookup-annotations: the owner lookup names its navigation property (ownerid) and its table (systemuser or team)', async () => {
    const request = readRequestSample('query-lookup-annotations.request.http');
    const printed = readResponseSample('query-lookup-annotations.response.http');
    const sample = JSON.parse(printed.body) as { value: Row[] };
    const { res, value } = await ok(request.path, request.headers);
    expect(res.headers.get('preference-applied')).toBe(printed.headers['Preference-Applied']);
    expect(value).toHaveLength(2);
    const NAV = '_ownerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty';
    const TABLE = '_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname';
    for (const row of value) {
      expect(Object.keys(row)).toEqual(Object.keys(sample.value[0] as Row));
      const seeded = ACCOUNTS.find((a) => a.id === row['accountid']) as SeedAccount;
      expect(row[NAV]).toBe('ownerid');
      expect(row[TABLE]).toBe(seeded.ownedByTeam ? 'team' : 'systemuser');
      if (seeded.ownedByTeam) expect(row['_ownerid_value']).toBe(teamId);
    }
    // Over every account both owner types appear, as in the sample.
    const all = (await ok(request.path.replace('&$top=2', ''), request.headers)).value;
    expect(new Set(all.map((r) => r[TABLE]))).toEqual(new Set(sample.value.map((r) => r[TABLE])));
  });
});

describe('bulk-message-availability sample (parameter aliases and a navigation path in $filter)', () => {
  const request = readRequestSample('bulk-message-availability.request.http');
  const forTable = (table: string): string => request.path.replace("@table='sample_example'", `@table='${table}'`);

  it('finds the CreateMultiple filter of a table that has it, in the shape of the published response', async () => {
    const printed = readResponseSample('bulk-message-availability.response.http');
    expect(forTable('x')).not.toBe(request.path);
    const { body, value } = await ok(forTable(msdyn_workorder.logicalName), request.headers);
    expect(shapeOf(body)).toEqual(shapeOf(JSON.parse(printed.body)));
    expect(value.map((r) => r['sdkmessagefilterid'])).toEqual([sdkMessageFilterId('CreateMultiple', msdyn_workorder.logicalName)]);
  });

  it('finds nothing for a table without it, and nothing for the sample\'s own table (not modelled)', async () => {
    expect((await ok(forTable(msdyn_project.logicalName), request.headers)).value).toEqual([]);
    expect((await ok(request.path, request.headers)).value).toEqual([]);
  });
});

// ---- $filter -------------------------------------------------------------------------------------------------------

describe('$filter', () => {
  it('comparison and logical operators, with not binding tighter than and, and and tighter than or', async () => {
    expect(await accountNames('$filter=revenue ge 75000 and revenue lt 500000')).toEqual(expectedNames((a) => a.revenue >= 75000 && a.revenue < 500000));
    expect(await accountNames(`$filter=customertypecode eq ${CustomerType.Partner} or revenue le 5000`)).toEqual(
      expectedNames((a) => a.type === CustomerType.Partner || a.revenue <= 5000),
    );
    expect(await accountNames(`$filter=not revenue gt 100000 and customertypecode ne ${CustomerType.Vendor}`)).toEqual(
      expectedNames((a) => !(a.revenue > 100000) && a.type !== CustomerType.Vendor),
    );
    expect(await accountNames(`$filter=revenue gt 100000 or revenue lt 10000 and customertypecode eq ${CustomerType.Vendor}`)).toEqual(
      expectedNames((a) => a.revenue > 100000 || (a.revenue < 10000 && a.type === CustomerType.Vendor)),
    );
    expect(await accountNames(`$filter=(revenue gt 100000 or revenue lt 10000) and customertypecode eq ${CustomerType.Vendor}`)).toEqual(
      expectedNames((a) => (a.revenue > 100000 || a.revenue < 10000) && a.type === CustomerType.Vendor),
    );
  });

  it('string comparison and contains/startswith/endswith are case-insensitive', async () => {
    expect(await accountNames("$filter=name eq 'LITWARE, INC.'")).toEqual(['Litware, Inc.']);
    expect(await accountNames("$filter=contains(name,'tower')")).toEqual(expectedNames((a) => a.name.includes('Towers')));
    expect(await accountNames("$filter=startswith(name,'contoso')")).toEqual(expectedNames((a) => a.name.startsWith('Contoso')));
    expect(await accountNames("$filter=endswith(name,'NORTH')")).toEqual(['Contoso Towers North']);
    expect(await accountNames("$filter=not contains(name,'o')")).toEqual(expectedNames((a) => !a.name.toLowerCase().includes('o')));
  });

  it('null: eq null and ne null on a lookup', async () => {
    expect(await accountNames('$filter=_parentaccountid_value eq null')).toEqual(expectedNames((a) => !a.parent));
    expect(await accountNames('$filter=_parentaccountid_value ne null')).toEqual(expectedNames((a) => !!a.parent));
  });

  it('GUID literals on _x_value lookups', async () => {
    const contoso = accountNamed('Contoso Towers');
    expect(await accountNames(`$filter=_parentaccountid_value eq ${contoso.id as string}`)).toEqual(expectedNames((a) => a.parent === contoso.name));
    const litware = accountNamed('Litware, Inc.');
    expect(await accountNames(`$filter=_primarycontactid_value eq ${litware.primaryContact?.id as string}`)).toEqual([litware.name]);
    expect(await accountNames(`$filter=_ownerid_value eq ${teamId}`)).toEqual(expectedNames((a) => !!a.ownedByTeam));
  });

  it('a navigation path through a single-valued navigation property', async () => {
    expect(await accountNames("$filter=parentaccountid/name eq 'Contoso Towers'")).toEqual(expectedNames((a) => a.parent === 'Contoso Towers'));
    expect(await accountNames("$filter=primarycontactid/lastname eq 'Stubberod'")).toEqual(expectedNames((a) => a.primaryContact?.lastname === 'Stubberod'));
    const { value } = await ok(`contacts?$select=fullname&$filter=parentcustomerid_account/customertypecode eq ${CustomerType.Partner}`);
    expect(value.map((r) => r['fullname']).sort()).toEqual(
      CONTACTS.filter((c) => c.account && accountNamed(c.account).type === CustomerType.Partner).map(fullName).sort(),
    );
  });

  it('any and all over the collection-valued contact_customer_accounts', async () => {
    const hasContact = (a: SeedAccount, pred: (c: SeedContact) => boolean): boolean => contactsOf(a.name).some(pred);
    expect(await accountNames("$filter=contact_customer_accounts/any(c: c/lastname eq 'Diaz' and c/firstname eq 'Paul')")).toEqual(
      expectedNames((a) => hasContact(a, (c) => c.lastname === 'Diaz' && c.firstname === 'Paul')),
    );
    expect(await accountNames('$filter=contact_customer_accounts/any()')).toEqual(expectedNames((a) => contactsOf(a.name).length > 0));
    // `all` is true for an account without contacts (Northwind Masts).
    expect(await accountNames("$filter=contact_customer_accounts/all(c: c/firstname ne 'Paul')")).toEqual(
      expectedNames((a) => contactsOf(a.name).every((c) => c.firstname !== 'Paul')),
    );
    expect(await accountNames("$filter=contact_customer_accounts/all(c: c/firstname ne 'Paul')")).toContain('Northwind Masts');
    expect(await accountNames(`$filter=contact_customer_accounts/any(c: c/contactid eq ${accountNamed('Adventure Works').primaryContact?.id as string})`)).toEqual(['Adventure Works']);
  });

  it('Microsoft.Dynamics.CRM.In', async () => {
    const types = [CustomerType.Partner, CustomerType.Vendor];
    expect(await accountNames(`$filter=Microsoft.Dynamics.CRM.In(PropertyName='customertypecode',PropertyValues=[${types.map((t) => `'${t}'`).join(',')}])`)).toEqual(
      expectedNames((a) => types.includes(a.type)),
    );
    expect(await accountNames(`$filter=Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=["adventure works","Nobody"])`)).toEqual(['Adventure Works']);
  });

  it('an unknown property is a 400 worded as Dataverse words it', async () => {
    const res = await error('accounts?$filter=x eq 1');
    expect(res).toEqual({ status: 400, message: "Could not find a property named 'x' on type 'Microsoft.Dynamics.CRM.account'." });
    expect((await error("accounts?$filter=primarycontactid/nosuch eq 'a'")).message).toBe("Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.contact'.");
  });

  it('$skip is refused: Dataverse pages with $skiptoken only (facts §5.5)', async () => {
    const res = await error('accounts?$select=name&$skip=1');
    expect(res.status).toBe(400);
    expect(res.message).toBe('The query parameter $skip is not supported');
  });
});

// ---- $orderby, $top, $count ----------------------------------------------------------------------------------------

describe('$orderby, $top and $count', () => {
  it('orders ascending and descending, text without regard to case', async () => {
    const byRevenue = [...ACCOUNTS].sort((a, b) => b.revenue - a.revenue).map((a) => a.name);
    expect((await ok('accounts?$select=name&$orderby=revenue desc')).value.map((r) => r['name'])).toEqual(byRevenue);
    expect((await ok('accounts?$select=name&$orderby=revenue asc')).value.map((r) => r['name'])).toEqual([...byRevenue].reverse());
    const byName = ACCOUNTS.map((a) => a.name).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
    expect((await ok('accounts?$select=name&$orderby=name')).value.map((r) => r['name'])).toEqual(byName);
  });

  it('orders by several columns, and breaks the remaining ties the same way every time', async () => {
    const { value } = await ok('contacts?$select=firstname,lastname&$filter=_parentcustomerid_value ne null&$orderby=lastname asc,firstname desc');
    const expected = CONTACTS.filter((c) => c.account)
      .sort((a, b) => a.lastname.localeCompare(b.lastname) || b.firstname.localeCompare(a.firstname))
      .map(fullName);
    expect(value.map((r) => `${r['firstname'] as string} ${r['lastname'] as string}`)).toEqual(expected);

    const tied = (await ok('contacts?$select=lastname&$orderby=lastname')).value.map((r) => r['contactid']);
    expect((await ok('contacts?$select=lastname&$orderby=lastname')).value.map((r) => r['contactid'])).toEqual(tied);
  });

  it('$top returns the first rows and no nextLink', async () => {
    const { body, value } = await ok('accounts?$select=name&$orderby=revenue desc&$top=2');
    expect(value.map((r) => r['name'])).toEqual(['Contoso Towers', 'Adventure Works']);
    expect(body).not.toHaveProperty('@odata.nextLink');
  });

  it('$count=true adds @odata.count: every matching row, whatever $top or the page size', async () => {
    const total = CONTACTS.filter((c) => c.lastname === 'Diaz').length;
    const counted = await ok("contacts?$select=fullname&$filter=lastname eq 'Diaz'&$count=true&$top=1");
    expect(counted.body['@odata.count']).toBe(total);
    expect(counted.value).toHaveLength(1);
    const paged = await ok("contacts?$select=fullname&$filter=lastname eq 'Diaz'&$count=true", { Prefer: 'odata.maxpagesize=2' });
    expect(paged.body['@odata.count']).toBe(total);
    expect(paged.value).toHaveLength(2);
    expect((await ok('contacts?$select=fullname')).body).not.toHaveProperty('@odata.count');
  });
});

// ---- $expand and navigation ------------------------------------------------------------------------------------------

describe('$expand', () => {
  it('a single-valued navigation property with a nested $select (null when the lookup is empty)', async () => {
    const { value } = await ok('accounts?$select=name&$expand=primarycontactid($select=fullname),parentaccountid($select=name)');
    expect(value).toHaveLength(ACCOUNTS.length);
    for (const row of value) {
      const seeded = ACCOUNTS.find((a) => a.id === row['accountid']) as SeedAccount;
      expect(row['primarycontactid']).toEqual({
        '@odata.etag': expect.stringMatching(/^W\/"\d+"$/),
        fullname: fullName(seeded.primaryContact as SeedContact),
        contactid: seeded.primaryContact?.id,
      });
      expect(row['parentaccountid']).toEqual(seeded.parent ? expect.objectContaining({ name: seeded.parent, accountid: accountNamed(seeded.parent).id }) : null);
    }
  });

  it('a collection-valued navigation property with nested $select, $filter, $orderby and $top', async () => {
    const contoso = accountNamed('Contoso Towers');
    const { body } = await ok(
      `accounts(${contoso.id as string})?$select=name&$expand=contact_customer_accounts($select=fullname;$filter=lastname ne 'Diaz';$orderby=firstname desc;$top=3)`,
    );
    const expected = contactsOf(contoso.name)
      .filter((c) => c.lastname !== 'Diaz')
      .sort((a, b) => b.firstname.localeCompare(a.firstname))
      .slice(0, 3);
    expect(body['contact_customer_accounts']).toEqual(
      expected.map((c) => ({ '@odata.etag': expect.stringMatching(/^W\/"\d+"$/), fullname: fullName(c), contactid: c.id })),
    );
    const all = (await ok(`accounts?$select=name&$expand=contact_customer_accounts($select=contactid)`)).value;
    for (const row of all) {
      const name = row['name'] as string;
      expect((row['contact_customer_accounts'] as Row[]).map((c) => c['contactid']).sort()).toEqual(contactsOf(name).map((c) => c.id).sort());
    }
  });

  it('an unknown navigation property is a 400', async () => {
    const res = await error('accounts?$select=name&$expand=nosuchnav($select=name)');
    expect(res).toEqual({ status: 400, message: "Could not find a property named 'nosuchnav' on type 'Microsoft.Dynamics.CRM.account'." });
  });
});

describe('navigation in the resource path', () => {
  it('GET of a collection-valued navigation property lists the related rows, with query options and paging', async () => {
    const works = accountNamed('Adventure Works');
    const path = `accounts(${works.id as string})/contact_customer_accounts?$select=fullname&$orderby=fullname`;
    const { body, value } = await ok(path);
    expect(body['@odata.context']).toBe(`${dv.url}/$metadata#contacts(fullname)`);
    expect(value.map((r) => r['fullname'])).toEqual(contactsOf(works.name).map(fullName).sort());
    const pages = await allPages(path, { Prefer: 'odata.maxpagesize=2' });
    expect(rowsOf(pages).map((r) => r['contactid'])).toEqual(value.map((r) => r['contactid']));
    expect(pages.length).toBeGreaterThan(1);
    expect((await ok(`accounts(${accountNamed('Northwind Masts').id as string})/contact_customer_accounts`)).value).toEqual([]);
  });

  it('GET of a single-valued navigation property returns the related row (204 when the lookup is empty)', async () => {
    const rosa = CONTACTS.find((c) => c.account === 'Contoso Towers North') as SeedContact;
    const { body } = await ok(`contacts(${rosa.id as string})/parentcustomerid_account?$select=name`);
    expect(body).toEqual({
      '@odata.context': `${dv.url}/$metadata#accounts(name)/$entity`,
      '@odata.etag': expect.stringMatching(/^W\/"\d+"$/),
      name: 'Contoso Towers North',
      accountid: accountNamed('Contoso Towers North').id,
    });
    const orphan = CONTACTS.find((c) => !c.account) as SeedContact;
    expect((await api.get(`contacts(${orphan.id as string})/parentcustomerid_account`)).status).toBe(204);
  });
});

import Database from 'better-sqlite3';
import { FieldStage, schema, WorkOrderSystemStatus, type TableDef } from '@pfb/domain';
import { DataverseError } from '../protocol/errors';
import { createTableSql, quoteIdent, toSql, type SqlValue } from '../store/sql';
import type { Attributes } from '../store/types';
import { compileFilter } from './filter';

const table = (name: string): TableDef => {
  const t = schema.table(name);
  if (!t) throw new Error(`schema has no ${name}`);
  return t;
};

/** Navigation property names come from the schema, so the tests follow it if a relationship is renamed. */
const singleNav = (child: string, attribute: string, target?: string): string => {
  const r = schema.relationships.find((x) => x.referencingEntity === child && x.referencingAttribute === attribute && (!target || x.referencedEntity === target));
  if (!r) throw new Error(`no relationship ${child}.${attribute}`);
  return r.referencingNavigationProperty;
};
const collectionNav = (parent: string, child: string, attribute: string): string => {
  const r = schema.relationships.find((x) => x.referencedEntity === parent && x.referencingEntity === child && x.referencingAttribute === attribute);
  if (!r) throw new Error(`no relationship ${parent} → ${child}.${attribute}`);
  return r.referencedNavigationProperty;
};

const id = (n: number): string => `00000000-0000-0000-0000-${n.toString(16).padStart(12, '0')}`;
const ref = (logicalName: string, n: number) => ({ logicalName, id: id(n).toUpperCase() });

const db = new Database(':memory:');
const TABLES = ['msdyn_workorder', 'bookableresourcebooking', 'bookingstatus', 'pfb_fieldevent', 'msdyn_resourcerequirement', 'pfb_tasksync', 'account', 'contact'];
for (const name of TABLES) for (const sql of createTableSql(table(name))) db.exec(sql);

function insert(tableName: string, attributes: Attributes): void {
  const t = table(tableName);
  const row: Record<string, SqlValue> = {};
  for (const [k, v] of Object.entries(attributes)) {
    const c = t.columns[k];
    if (!c) throw new Error(`${tableName} has no ${k}`);
    toSql(c, v, row);
  }
  const cols = Object.keys(row);
  db.prepare(`INSERT INTO ${quoteIdent(tableName)} (${cols.map(quoteIdent).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...Object.values(row));
}

// Work orders: WO1 … WO4 (ids 1–4), task syncs 11–12, booking statuses 21–22, bookings 31–34, events 41–43.
insert('pfb_tasksync', { pfb_tasksyncid: id(11), pfb_name: 'Task A' });
insert('pfb_tasksync', { pfb_tasksyncid: id(12), pfb_name: 'Task B' });
insert('msdyn_workorder', {
  msdyn_workorderid: id(1),
  msdyn_name: 'Antenna install',
  msdyn_city: 'Brisbane',
  msdyn_systemstatus: WorkOrderSystemStatus.Unscheduled,
  msdyn_taxable: true,
  msdyn_timefrompromised: '2027-01-01T00:00:00Z',
  msdyn_datewindowstart: '2027-01-01',
  pfb_slotindex: 1,
  pfb_plannedeffort: 2.5,
  pfb_tasksync: ref('pfb_tasksync', 11),
});
insert('msdyn_workorder', {
  msdyn_workorderid: id(2),
  msdyn_name: 'Cable replacement',
  msdyn_city: 'brisbane',
  msdyn_systemstatus: WorkOrderSystemStatus.Completed,
  msdyn_taxable: false,
  msdyn_timefrompromised: '2027-01-01T00:00:01Z',
  msdyn_datewindowstart: '2027-01-02',
  pfb_slotindex: 2,
  pfb_plannedeffort: 10,
  pfb_tasksync: ref('pfb_tasksync', 12),
});
insert('msdyn_workorder', {
  msdyn_workorderid: id(3),
  msdyn_name: "O'Brien 100% fit_out",
  msdyn_city: null,
  msdyn_systemstatus: WorkOrderSystemStatus.InProgress,
  msdyn_taxable: false,
  msdyn_timefrompromised: '2026-12-31T23:59:59Z',
});
insert('msdyn_workorder', {
  msdyn_workorderid: id(4),
  msdyn_name: "x' or 1=1 --",
  msdyn_city: 'Sydney',
  msdyn_systemstatus: WorkOrderSystemStatus.Canceled,
  msdyn_taxable: false,
  pfb_slotindex: 7,
});
insert('bookingstatus', { bookingstatusid: id(21), name: 'Scheduled' });
insert('bookingstatus', { bookingstatusid: id(22), name: 'Completed' });
const booking = (n: number, name: string, workOrder: number | null, status: number, duration: number, travel: number | null, stage: number | null): void =>
  insert('bookableresourcebooking', {
    bookableresourcebookingid: id(n),
    name,
    msdyn_workorder: workOrder === null ? null : ref('msdyn_workorder', workOrder),
    bookingstatus: ref('bookingstatus', status),
    duration,
    msdyn_estimatedtravelduration: travel,
    pfb_fieldstage: stage,
    starttime: '2027-01-01T00:00:00Z',
    endtime: '2027-01-01T01:00:00Z',
  });
booking(31, 'WO1 morning', 1, 21, 60, 15, FieldStage.Onsite);
booking(32, 'WO1 afternoon', 1, 22, 120, 120, FieldStage.Complete);
booking(33, 'WO2 visit', 2, 22, 30, 45, null);
booking(34, 'Unassigned', null, 21, 90, null, null);
insert('pfb_fieldevent', { pfb_fieldeventid: id(41), pfb_eventid: 'E1', pfb_booking: ref('bookableresourcebooking', 31), pfb_stage: FieldStage.Onsite, pfb_sequence: 1 });
insert('pfb_fieldevent', { pfb_fieldeventid: id(42), pfb_eventid: 'E2', pfb_booking: ref('bookableresourcebooking', 31), pfb_stage: FieldStage.InProgress, pfb_sequence: 5 });
insert('pfb_fieldevent', { pfb_fieldeventid: id(43), pfb_eventid: 'E3', pfb_booking: ref('bookableresourcebooking', 33), pfb_stage: FieldStage.Onsite, pfb_sequence: 2 });

// Accounts 51–52 and contacts 61–63; contact 63 is parented by a *contact* whose id equals account 51's.
insert('contact', { contactid: id(61), fullname: 'Susanna Stubberod (sample)', parentcustomerid: ref('account', 51) });
insert('contact', { contactid: id(62), fullname: 'Nancy Anderson (sample)', parentcustomerid: ref('account', 52) });
insert('contact', { contactid: id(63), fullname: 'Maria Campbell (sample)', parentcustomerid: ref('contact', 51) });
insert('account', { accountid: id(51), name: 'Litware, Inc. (sample)', primarycontactid: ref('contact', 61) });
insert('account', { accountid: id(52), name: 'Adventure Works (sample)', primarycontactid: ref('contact', 62) });

/** Primary names of the rows `filter` selects, sorted. */
function names(tableName: string, filter: string): string[] {
  const t = table(tableName);
  const where = compileFilter(filter, t, schema);
  const rows = db
    .prepare(`SELECT ${quoteIdent(t.primaryNameAttribute)} AS n FROM ${quoteIdent(t.logicalName)} WHERE ${where.sql}`)
    .all(...where.params) as { n: string }[];
  return rows.map((r) => r.n).sort();
}
const workOrders = (filter: string): string[] => names('msdyn_workorder', filter);
const bookings = (filter: string): string[] => names('bookableresourcebooking', filter);

function failure(tableName: string, filter: string): DataverseError {
  try {
    compileFilter(filter, table(tableName), schema);
  } catch (e) {
    if (e instanceof DataverseError) return e;
    throw e;
  }
  throw new Error(`expected ${filter} to be refused`);
}

const WO1 = 'Antenna install';
const WO2 = 'Cable replacement';
const WO3 = "O'Brien 100% fit_out";
const WO4 = "x' or 1=1 --";

describe('compileFilter: comparisons', () => {
  it('binds string literals as parameters, so quotes in them cannot break out', () => {
    expect(workOrders("msdyn_name eq 'x'' or 1=1 --'")).toEqual([WO4]);
    expect(workOrders("msdyn_name eq 'nothing'' or ''1''=''1'")).toEqual([]);
    expect(workOrders("contains(msdyn_name,''' or 1=1')")).toEqual([WO4]);
    const compiled = compileFilter("msdyn_name eq 'x'' or 1=1 --'", table('msdyn_workorder'), schema);
    expect(compiled.sql).not.toContain('1=1');
    expect(compiled.params).toEqual(["x' or 1=1 --"]);
  });

  it('compares strings case-insensitively, like Dataverse', () => {
    expect(workOrders("msdyn_name eq 'ANTENNA install'")).toEqual([WO1]);
    expect(workOrders("msdyn_city eq 'BRISBANE'")).toEqual([WO1, WO2]);
    expect(workOrders("msdyn_name gt 'n'")).toEqual([WO3, WO4]);
  });

  it('reads string literals the parser cannot (%, #, ", parentheses, commas)', () => {
    expect(workOrders("msdyn_name eq 'O''Brien 100% fit_out'")).toEqual([WO3]);
    expect(workOrders(`msdyn_name eq 'a#b"c(d,e)' or msdyn_name eq 'Cable replacement'`)).toEqual([WO2]);
  });

  it('treats null as SQL does: eq/ne null test for null, other comparisons never match a null column', () => {
    expect(workOrders('msdyn_city eq null')).toEqual([WO3]);
    expect(workOrders('null eq msdyn_city')).toEqual([WO3]);
    expect(workOrders('msdyn_city ne null')).toEqual([WO1, WO2, WO4]);
    expect(workOrders("msdyn_city ne 'brisbane'")).toEqual([WO4]);
    expect(workOrders('pfb_slotindex gt null')).toEqual([]);
    expect(workOrders('_pfb_tasksync_value eq null')).toEqual([WO3, WO4]);
  });

  it('compares numbers, choices, booleans and GUIDs', () => {
    expect(workOrders('pfb_slotindex ge 2')).toEqual([WO2, WO4]);
    expect(workOrders('3 gt pfb_slotindex')).toEqual([WO1, WO2]);
    expect(workOrders('pfb_plannedeffort gt 2.4 and pfb_plannedeffort lt 10')).toEqual([WO1]);
    expect(workOrders(`msdyn_systemstatus eq ${WorkOrderSystemStatus.Completed}`)).toEqual([WO2]);
    expect(workOrders('msdyn_taxable eq true')).toEqual([WO1]);
    expect(workOrders('msdyn_taxable')).toEqual([WO1]);
    expect(workOrders('not msdyn_taxable')).toEqual([WO2, WO3, WO4]);
    expect(workOrders(`_pfb_tasksync_value eq ${id(11).toUpperCase()}`)).toEqual([WO1]);
    expect(workOrders(`msdyn_workorderid eq ${id(2)}`)).toEqual([WO2]);
  });

  it('compares two columns of the same row', () => {
    expect(bookings('duration gt msdyn_estimatedtravelduration')).toEqual(['WO1 morning']);
    expect(bookings('duration eq msdyn_estimatedtravelduration')).toEqual(['WO1 afternoon']);
  });

  it('applies and/or/not with OData precedence (not, then and, then or) and parentheses', () => {
    expect(workOrders("not msdyn_taxable and msdyn_city eq 'Sydney'")).toEqual([WO4]);
    expect(workOrders("not (msdyn_city eq 'Sydney') and msdyn_taxable eq false")).toEqual([WO2]);
    expect(workOrders("msdyn_taxable and not msdyn_taxable or pfb_slotindex eq 7")).toEqual([WO4]);
    expect(workOrders("not not msdyn_taxable and pfb_slotindex eq 1")).toEqual([WO1]);
    expect(workOrders("not contains(msdyn_name,'a') and not contains(msdyn_name,'x')")).toEqual([WO3]);
    expect(workOrders("msdyn_city eq 'Sydney' or pfb_slotindex eq 1 and msdyn_taxable eq false")).toEqual([WO4]);
    expect(workOrders("(msdyn_city eq 'Sydney' or pfb_slotindex eq 1) and msdyn_taxable eq true")).toEqual([WO1]);
    expect(workOrders("not (msdyn_city eq 'Sydney')")).toEqual([WO1, WO2]);
  });
});

describe('compileFilter: dates', () => {
  it('normalises DateTimeOffset literals with an offset to the stored UTC form', () => {
    expect(workOrders('msdyn_timefrompromised eq 2027-01-01T10:00:00+10:00')).toEqual([WO1]);
    expect(workOrders('msdyn_timefrompromised gt 2027-01-01T10:00:00+10:00')).toEqual([WO2]);
    expect(workOrders('msdyn_timefrompromised lt 2027-01-01T00:00:00Z')).toEqual([WO3]);
    expect(workOrders('msdyn_timefrompromised le 2026-12-31T18:59:59-05:00')).toEqual([WO3]);
  });

  it('keeps comparisons exact for literals with fractions of a second', () => {
    expect(workOrders('msdyn_timefrompromised ge 2027-01-01T00:00:00.500Z')).toEqual([WO2]);
    expect(workOrders('msdyn_timefrompromised gt 2027-01-01T00:00:00.500Z')).toEqual([WO2]);
    expect(workOrders('msdyn_timefrompromised lt 2027-01-01T00:00:00.500Z')).toEqual([WO1, WO3]);
    expect(workOrders('msdyn_timefrompromised le 2027-01-01T00:00:00.500Z')).toEqual([WO1, WO3]);
    expect(workOrders('msdyn_timefrompromised eq 2027-01-01T00:00:00.500Z')).toEqual([]);
    expect(workOrders('msdyn_timefrompromised ne 2027-01-01T00:00:00.500Z')).toEqual([WO1, WO2, WO3]);
  });

  it('compares a date literal with a date-time column as midnight UTC, and DateOnly columns by date', () => {
    expect(workOrders('msdyn_timefrompromised ge 2027-01-01')).toEqual([WO1, WO2]);
    expect(workOrders('msdyn_datewindowstart eq 2027-01-02')).toEqual([WO2]);
    expect(workOrders('msdyn_datewindowstart lt 2027-01-02')).toEqual([WO1]);
    expect(workOrders('msdyn_datewindowstart eq 2027-01-02T23:00:00+10:00')).toEqual([WO2]);
  });
});

describe('compileFilter: string functions', () => {
  it('matches contains/startswith/endswith case-insensitively', () => {
    expect(workOrders("contains(msdyn_name,'CABLE')")).toEqual([WO2]);
    expect(workOrders("startswith(msdyn_name, 'antenna')")).toEqual([WO1]);
    expect(workOrders("endswith(msdyn_name,'FIT_OUT')")).toEqual([WO3]);
    expect(workOrders("not contains(msdyn_name,'a')")).toEqual([WO3, WO4]);
  });

  it('keeps % and _ as wildcards and reads [x] as the literal character x, as Dataverse (SQL Server) does', () => {
    expect(workOrders("startswith(msdyn_name,'%replace')")).toEqual([WO2]);
    expect(workOrders("contains(msdyn_name,'a_i')")).toEqual([WO1]);
    expect(workOrders("contains(msdyn_name,'a[_]i')")).toEqual([]);
    expect(workOrders("contains(msdyn_name,'[%]')")).toEqual([WO3]);
    expect(workOrders("contains(msdyn_name,'fit[_]out')")).toEqual([WO3]);
    expect(failure('msdyn_workorder', "contains(msdyn_name,'[a-c]')").message).toContain("'[a-c]'");
  });

  it('refuses other functions and wrong argument types', () => {
    expect(failure('msdyn_workorder', "tolower(msdyn_name) eq 'x'").status).toBe(400);
    expect(failure('msdyn_workorder', "length(msdyn_name)").message).toContain("'length'");
    expect(failure('msdyn_workorder', "contains(pfb_slotindex,'1')").message).toBe(
      "No function signature for the function with name 'contains' matches the specified arguments. The function signatures considered are: contains(Edm.String Nullable=true, Edm.String Nullable=true).",
    );
  });
});

describe('compileFilter: related rows', () => {
  const workOrderNav = singleNav('bookableresourcebooking', 'msdyn_workorder');
  const statusNav = singleNav('bookableresourcebooking', 'bookingstatus');
  const taskSyncNav = singleNav('msdyn_workorder', 'pfb_tasksync');
  const bookingsOfWorkOrder = collectionNav('msdyn_workorder', 'bookableresourcebooking', 'msdyn_workorder');
  const eventsOfBooking = collectionNav('bookableresourcebooking', 'pfb_fieldevent', 'pfb_booking');

  it('filters on a column of a lookup target, one or more hops away', () => {
    expect(bookings(`${workOrderNav}/msdyn_name eq 'antenna INSTALL'`)).toEqual(['WO1 afternoon', 'WO1 morning']);
    expect(bookings(`${statusNav}/name eq 'Completed'`)).toEqual(['WO1 afternoon', 'WO2 visit']);
    expect(bookings(`${workOrderNav}/${taskSyncNav}/pfb_name eq 'Task B'`)).toEqual(['WO2 visit']);
    expect(bookings(`contains(${workOrderNav}/msdyn_name,'cable')`)).toEqual(['WO2 visit']);
  });

  it('joins like Dataverse link-entities: rows without the related row never match a condition on it', () => {
    expect(bookings(`${workOrderNav}/msdyn_city eq null`)).toEqual([]);
    expect(bookings(`${workOrderNav} eq null`)).toEqual(['Unassigned']);
  });

  it('evaluates any/all over collection-valued navigation properties', () => {
    expect(workOrders(`${bookingsOfWorkOrder}/any(b:b/duration gt 100)`)).toEqual([WO1]);
    expect(workOrders(`${bookingsOfWorkOrder}/any()`)).toEqual([WO1, WO2]);
    expect(workOrders(`not ${bookingsOfWorkOrder}/any()`)).toEqual([WO3, WO4]);
    // FetchXML link-type all: "This includes parent rows which have no link entity rows … at all."
    expect(workOrders(`${bookingsOfWorkOrder}/all(b:b/duration gt 50)`)).toEqual([WO1, WO3, WO4]);
    expect(workOrders(`${bookingsOfWorkOrder}/any( b : contains(b/name,'visit') )`)).toEqual([WO2]);
  });

  it('nests lambdas and lets the body use the outer row ($it) and outer variables', () => {
    expect(workOrders(`${bookingsOfWorkOrder}/any(b:b/${eventsOfBooking}/any(e:e/pfb_sequence ge 5))`)).toEqual([WO1]);
    expect(workOrders(`${bookingsOfWorkOrder}/any(b:b/${eventsOfBooking}/any(e:e/pfb_sequence eq 2 and b/duration eq 30))`)).toEqual([WO2]);
    expect(workOrders(`${bookingsOfWorkOrder}/any(b:b/duration eq 30 and msdyn_city eq 'BRISBANE')`)).toEqual([WO2]);
    expect(workOrders(`${bookingsOfWorkOrder}/any(b:b/duration eq 30 and $it/pfb_slotindex eq 1)`)).toEqual([]);
    expect(workOrders(`${bookingsOfWorkOrder}/any(b:b/${statusNav}/name eq 'Scheduled')`)).toEqual([WO1]);
  });

  it('follows the documented account examples, restricting polymorphic lookups to their target table', () => {
    const accounts = (filter: string): string[] => names('account', filter);
    const primaryContact = singleNav('account', 'primarycontactid');
    const contactsOfAccount = collectionNav('account', 'contact', 'parentcustomerid');
    expect(accounts(`${primaryContact}/fullname eq 'Susanna Stubberod (sample)'`)).toEqual(['Litware, Inc. (sample)']);
    expect(accounts(`${contactsOfAccount}/any(c:c/fullname eq 'Nancy Anderson (sample)')`)).toEqual(['Adventure Works (sample)']);
    // Contact 63's parent is a contact that happens to share account 51's id: it is not one of the account's contacts.
    expect(accounts(`${contactsOfAccount}/any(c:startswith(c/fullname,'Maria'))`)).toEqual([]);
  });

  it('refuses collections reached through a lookup, and paths through columns', () => {
    expect(failure('bookableresourcebooking', `${workOrderNav}/${collectionNav('msdyn_workorder', 'msdyn_resourcerequirement', 'msdyn_workorder')}/any()`).status).toBe(400);
    expect(failure('msdyn_workorder', `${bookingsOfWorkOrder}/name eq 'x'`).message).toBe(
      "The parent value for a property access of a property 'name' is not a single value. Property access can only be applied to a single value.",
    );
    expect(failure('msdyn_workorder', "msdyn_name/x eq 'y'").status).toBe(400);
  });
});

describe('compileFilter: Dataverse query functions', () => {
  it('In / NotIn take single- or double-quoted values, case-insensitively for text', () => {
    expect(workOrders(`Microsoft.Dynamics.CRM.In(PropertyName='msdyn_name',PropertyValues=["antenna INSTALL","O'Brien 100% fit_out"])`)).toEqual([WO1, WO3]);
    expect(workOrders(`Microsoft.Dynamics.CRM.In(PropertyName='msdyn_city',PropertyValues=['SYDNEY', 'nowhere'])`)).toEqual([WO4]);
    expect(
      workOrders(`Microsoft.Dynamics.CRM.NotIn(PropertyName='msdyn_systemstatus',PropertyValues=['${WorkOrderSystemStatus.Completed}','${WorkOrderSystemStatus.Canceled}'])`),
    ).toEqual([WO1, WO3]);
    expect(workOrders(`not Microsoft.Dynamics.CRM.In(PropertyName='pfb_slotindex',PropertyValues=["1"]) and msdyn_taxable eq false`)).toEqual([WO2, WO4]);
  });

  it('In on a lookup accepts its _x_value or logical name and GUIDs in any case, with braces', () => {
    expect(bookings(`Microsoft.Dynamics.CRM.In(PropertyName='_msdyn_workorder_value',PropertyValues=["{${id(2).toUpperCase()}}"])`)).toEqual(['WO2 visit']);
    expect(bookings(`Microsoft.Dynamics.CRM.In(PropertyName='msdyn_workorder',PropertyValues=["${id(1)}"])`)).toEqual(['WO1 afternoon', 'WO1 morning']);
  });

  it('Between / NotBetween are inclusive and skip nulls', () => {
    expect(workOrders(`Microsoft.Dynamics.CRM.Between(PropertyName='pfb_slotindex',PropertyValues=["1","2"])`)).toEqual([WO1, WO2]);
    expect(workOrders(`Microsoft.Dynamics.CRM.NotBetween(PropertyName='pfb_slotindex',PropertyValues=["1","2"])`)).toEqual([WO4]);
  });

  it('On / OnOrAfter / OnOrBefore compare whole (UTC) days', () => {
    expect(workOrders(`Microsoft.Dynamics.CRM.On(PropertyName='msdyn_timefrompromised',PropertyValue='2027-01-01')`)).toEqual([WO1, WO2]);
    expect(workOrders(`Microsoft.Dynamics.CRM.OnOrBefore(PropertyName='msdyn_timefrompromised',PropertyValue='2026-12-31')`)).toEqual([WO3]);
    expect(workOrders(`Microsoft.Dynamics.CRM.OnOrAfter(PropertyName='msdyn_datewindowstart',PropertyValue='2027-01-02')`)).toEqual([WO2]);
  });

  it('works on a lambda variable and through a lookup', () => {
    const bookingsOfWorkOrder = collectionNav('msdyn_workorder', 'bookableresourcebooking', 'msdyn_workorder');
    expect(workOrders(`${bookingsOfWorkOrder}/any(b:Microsoft.Dynamics.CRM.In(PropertyName='b/duration',PropertyValues=["30"]))`)).toEqual([WO2]);
    const workOrderNav = singleNav('bookableresourcebooking', 'msdyn_workorder');
    expect(bookings(`Microsoft.Dynamics.CRM.In(PropertyName='${workOrderNav}/msdyn_city',PropertyValues=["sydney","brisbane"])`)).toHaveLength(3);
  });

  it('names unknown and unsupported functions, and bad arguments', () => {
    expect(failure('msdyn_workorder', "Microsoft.Dynamics.CRM.Nope(PropertyName='msdyn_name')").message).toBe(
      "An unknown function with name 'Microsoft.Dynamics.CRM.Nope' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.",
    );
    expect(failure('msdyn_workorder', "Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue=3)").message).toContain('Microsoft.Dynamics.CRM.LastXDays');
    expect(failure('msdyn_workorder', "Microsoft.Dynamics.CRM.In(PropertyName='msdyn_name')").message).toContain('PropertyValues');
    expect(failure('msdyn_workorder', "Microsoft.Dynamics.CRM.Between(PropertyName='pfb_slotindex',PropertyValues=['1'])").status).toBe(400);
    expect(failure('msdyn_workorder', "Microsoft.Dynamics.CRM.In(PropertyName='pfb_slotindex',PropertyValues=['one'])").message).toContain("'one'");
    expect(failure('msdyn_workorder', "Microsoft.Dynamics.CRM.In(PropertyName='bogus',PropertyValues=['1'])").message).toBe(
      "Could not find a property named 'bogus' on type 'Microsoft.Dynamics.CRM.msdyn_workorder'.",
    );
  });
});

describe('compileFilter: errors worded as Dataverse words them', () => {
  it('names an unknown property and the type it was looked up on', () => {
    const e = failure('msdyn_workorder', "bogus eq 'x'");
    expect(e.status).toBe(400);
    expect(e.code).toBe('0x80060888');
    expect(e.message).toBe("Could not find a property named 'bogus' on type 'Microsoft.Dynamics.CRM.msdyn_workorder'.");
    expect(failure('bookableresourcebooking', `${singleNav('bookableresourcebooking', 'msdyn_workorder')}/bogus eq 1`).message).toBe(
      "Could not find a property named 'bogus' on type 'Microsoft.Dynamics.CRM.msdyn_workorder'.",
    );
    // Property names are case-sensitive, and a lookup's logical name is a navigation property, not a value.
    expect(failure('msdyn_workorder', "MSDYN_NAME eq 'x'").message).toContain("'MSDYN_NAME'");
    expect(failure('msdyn_workorder', "_msdyn_name_value eq 'x'").message).toContain("'_msdyn_name_value'");
  });

  it('refuses comparisons of incompatible types', () => {
    expect(failure('msdyn_workorder', "pfb_slotindex eq 'one'").message).toBe(
      "A binary operator with incompatible types was detected. Found operand types 'Edm.Int32' and 'Edm.String' for operator kind 'Equal'.",
    );
    expect(failure('msdyn_workorder', `_pfb_tasksync_value eq '${id(11)}'`).message).toBe(
      "A binary operator with incompatible types was detected. Found operand types 'Edm.Guid' and 'Edm.String' for operator kind 'Equal'.",
    );
    expect(failure('msdyn_workorder', "'x' lt msdyn_taxable").message).toBe(
      "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Boolean' for operator kind 'LessThan'.",
    );
    expect(failure('msdyn_workorder', 'msdyn_systemstatus eq true').status).toBe(400);
    expect(failure('msdyn_workorder', 'msdyn_name eq pfb_slotindex').status).toBe(400);
  });

  it('reports syntax errors and unterminated literals with a position', () => {
    expect(failure('msdyn_workorder', "msdyn_name eq 'O'Bryan'").message).toBe("There is an unterminated literal at position 23 in 'msdyn_name eq 'O'Bryan''.");
    expect(failure('msdyn_workorder', "msdyn_name eqq 'x'").message).toMatch(/^Syntax error at position \d+ in 'msdyn_name eqq 'x''\.$/);
    expect(failure('msdyn_workorder', '').message).toBe("Syntax error at position 0 in ''.");
  });
});

describe('compileFilter: aliases', () => {
  it('qualifies columns with the alias the caller uses', () => {
    const t = table('msdyn_workorder');
    const where = compileFilter("msdyn_city eq 'Sydney'", t, schema, 't0');
    const rows = db.prepare(`SELECT t0.msdyn_name AS n FROM msdyn_workorder AS t0 WHERE ${where.sql}`).all(...where.params) as { n: string }[];
    expect(rows.map((r) => r.n)).toEqual([WO4]);
  });
});

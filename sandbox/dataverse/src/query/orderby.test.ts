import Database from 'better-sqlite3';
import { schema, WorkOrderSystemStatus, type TableDef } from '@pfb/domain';
import { DataverseError } from '../protocol/errors';
import { createTableSql, quoteIdent, toSql, type SqlValue } from '../store/sql';
import type { Attributes } from '../store/types';
import { compileOrderBy } from './orderby';

const table = (name: string): TableDef => {
  const t = schema.table(name);
  if (!t) throw new Error(`schema has no ${name}`);
  return t;
};
const workOrder = table('msdyn_workorder');
const id = (n: number): string => `00000000-0000-0000-0000-${n.toString(16).padStart(12, '0')}`;

const db = new Database(':memory:');
for (const name of ['msdyn_workorder', 'pfb_tasksync', 'contact', 'account']) for (const sql of createTableSql(table(name))) db.exec(sql);

function insert(tableName: string, attributes: Attributes): void {
  const t = table(tableName);
  const row: Record<string, SqlValue> = {};
  for (const [k, v] of Object.entries(attributes)) toSql(t.columns[k] as NonNullable<(typeof t.columns)[string]>, v, row);
  const cols = Object.keys(row);
  db.prepare(`INSERT INTO ${quoteIdent(tableName)} (${cols.map(quoteIdent).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...Object.values(row));
}

// Task syncs named so that name order (Alpha < beta < Gamma) differs from id order (13, 11, 12).
insert('pfb_tasksync', { pfb_tasksyncid: id(11), pfb_name: 'Gamma' });
insert('pfb_tasksync', { pfb_tasksyncid: id(12), pfb_name: 'beta' });
insert('pfb_tasksync', { pfb_tasksyncid: id(13), pfb_name: 'Alpha' });
const workOrderRow = (n: number, name: string, slot: number | null, status: number, taskSync: number | null): void =>
  insert('msdyn_workorder', {
    msdyn_workorderid: id(n),
    msdyn_name: name,
    pfb_slotindex: slot,
    msdyn_systemstatus: status,
    pfb_tasksync: taskSync === null ? null : { logicalName: 'pfb_tasksync', id: id(taskSync) },
  });
workOrderRow(1, 'bravo', 2, WorkOrderSystemStatus.Completed, 11);
workOrderRow(2, 'Alpha', null, WorkOrderSystemStatus.Unscheduled, 12);
workOrderRow(3, 'charlie', 1, WorkOrderSystemStatus.Scheduled, 13);
workOrderRow(4, 'Delta', 2, WorkOrderSystemStatus.Unscheduled, null);

/** Work order names in the order `$orderby` (then the primary key, as the server appends it) gives. */
function ordered(orderby: string, withSchema = true): string[] {
  const o = compileOrderBy(orderby, workOrder, 't0', withSchema ? schema : undefined);
  const terms = [o.sql, `t0.${quoteIdent(workOrder.primaryIdAttribute)}`].filter(Boolean).join(', ');
  return (db.prepare(`SELECT t0.msdyn_name AS n FROM msdyn_workorder AS t0 ORDER BY ${terms}`).all() as { n: string }[]).map((r) => r.n);
}

function failure(orderby: string): DataverseError {
  try {
    compileOrderBy(orderby, workOrder);
  } catch (e) {
    if (e instanceof DataverseError) return e;
    throw e;
  }
  throw new Error(`expected $orderby=${orderby} to be refused`);
}

describe('compileOrderBy', () => {
  it('orders text case-insensitively, ascending by default', () => {
    expect(ordered('msdyn_name')).toEqual(['Alpha', 'bravo', 'charlie', 'Delta']);
    expect(ordered('msdyn_name desc')).toEqual(['Delta', 'charlie', 'bravo', 'Alpha']);
  });

  it('puts nulls first ascending (as SQL Server does) and breaks ties with the next term', () => {
    expect(ordered('pfb_slotindex asc,msdyn_name desc')).toEqual(['Alpha', 'charlie', 'Delta', 'bravo']);
    expect(ordered('pfb_slotindex desc, msdyn_name')).toEqual(['bravo', 'Delta', 'charlie', 'Alpha']);
  });

  it('orders choices by their value (order-rows.md: not by label in the Web API)', () => {
    // By label it would be Completed < Scheduled < Unscheduled: bravo, charlie, Alpha, Delta.
    expect(ordered('msdyn_systemstatus,msdyn_name')).toEqual(['Alpha', 'Delta', 'charlie', 'bravo']);
  });

  it("orders a lookup by the related row's primary name (order-rows.md), or by id without the schema", () => {
    expect(ordered('_pfb_tasksync_value')).toEqual(['Delta', 'charlie', 'Alpha', 'bravo']);
    expect(ordered('_pfb_tasksync_value', false)).toEqual(['Delta', 'bravo', 'Alpha', 'charlie']);
  });

  it('returns the columns and the SQL expressions a paging cookie must compare with', () => {
    const o = compileOrderBy('msdyn_name desc, pfb_slotindex', workOrder, 't0');
    expect(o.columns).toEqual([
      { column: 'msdyn_name', desc: true, expr: '"t0"."msdyn_name" COLLATE NOCASE' },
      { column: 'pfb_slotindex', desc: false, expr: '"t0"."pfb_slotindex"' },
    ]);
    expect(o.sql).toBe('"t0"."msdyn_name" COLLATE NOCASE DESC, "t0"."pfb_slotindex" ASC');
    expect(compileOrderBy('  ', workOrder)).toEqual({ sql: '', columns: [] });
  });

  it('orders a polymorphic lookup by the name in whichever table it points to', () => {
    const contact = table('contact');
    const o = compileOrderBy('_parentcustomerid_value', contact, 'c', schema);
    expect(o.sql).toContain('"c"."parentcustomerid__target"');
    insert('account', { accountid: id(51), name: 'Zeta Corp' });
    insert('contact', { contactid: id(61), fullname: 'Child of Zeta', parentcustomerid: { logicalName: 'account', id: id(51) } });
    insert('contact', { contactid: id(62), fullname: 'Aaron (parent)' });
    insert('contact', { contactid: id(63), fullname: 'Child of Aaron', parentcustomerid: { logicalName: 'contact', id: id(62) } });
    const rows = db.prepare(`SELECT c.fullname AS n FROM contact AS c ORDER BY ${o.sql}, c.contactid`).all() as { n: string }[];
    expect(rows.map((r) => r.n)).toEqual(['Aaron (parent)', 'Child of Aaron', 'Child of Zeta']);
  });

  it('refuses unknown properties, navigation paths and expressions', () => {
    expect(failure('bogus desc').message).toBe("Could not find a property named 'bogus' on type 'Microsoft.Dynamics.CRM.msdyn_workorder'.");
    expect(failure('pfb_tasksync').message).toBe("Could not find a property named 'pfb_tasksync' on type 'Microsoft.Dynamics.CRM.msdyn_workorder'.");
    expect(failure('pfb_tasksync/pfb_name').message).toContain('navigation paths');
    expect(failure('msdyn_name sideways').status).toBe(400);
    expect(failure("msdyn_name eq 'x'").status).toBe(400);
  });
});

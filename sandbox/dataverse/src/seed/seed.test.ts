/**
 * The seed is loaded through the organization service, so a row with a wrong column, a bad value or a lookup to a
 * row not yet created would stop the sandbox from starting. These tests check that shape for every seed kind, and
 * that the telecom program is the plan the demos and validation rely on.
 */
import { BookingSystemStatus, ResourceType, schema, type ColumnDef } from '@pfb/domain';
import { isEntityReference, type AttributeValue, type Attributes } from '../store/types';
import { BOOKING_STATUS_IDS, BRIDGE_APP_USER_ID, SANDBOX_USER_ID, SDK_MESSAGE_IDS } from './baseline';
import { seedId } from './ids';
import { isSeedKind, seedRecords } from './index';
import { LEAVES_PER_PROJECT, MAX_TASKS_PER_PROJECT, scaleSeed } from './scale';
import { TELECOM_INVALID_TASKS, telecomSeed } from './telecom';
import type { SeedRecord } from './types';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Why a value would be refused by Dataverse for this column, or null. */
function valueProblem(c: ColumnDef, v: AttributeValue): string | null {
  if (v === null) return null;
  switch (c.type) {
    case 'string':
    case 'memo':
      if (typeof v !== 'string') return 'not text';
      return c.maxLength !== undefined && v.length > c.maxLength ? `longer than ${c.maxLength}` : null;
    case 'uniqueidentifier':
      return typeof v === 'string' && GUID.test(v) ? null : 'not a seed GUID';
    case 'integer':
    case 'bigint':
    case 'decimal':
    case 'double':
    case 'money':
      if (typeof v !== 'number' || !Number.isFinite(v)) return 'not a number';
      if ((c.type === 'integer' || c.type === 'bigint') && !Number.isInteger(v)) return 'not whole';
      if (c.minValue !== undefined && v < c.minValue) return `below ${c.minValue}`;
      return c.maxValue !== undefined && v > c.maxValue ? `above ${c.maxValue}` : null;
    case 'boolean':
      return typeof v === 'boolean' ? null : 'not a boolean';
    case 'datetime':
      if (typeof v !== 'string') return 'not a date';
      return (c.dateTimeBehavior === 'DateOnly' ? /^\d{4}-\d{2}-\d{2}$/ : INSTANT).test(v) ? null : `bad date ${v}`;
    case 'picklist':
    case 'state':
    case 'status':
      return c.optionSet?.options.some((o) => o.value === v) ? null : `no option ${String(v)}`;
    case 'lookup':
    case 'owner':
    case 'customer':
      if (!isEntityReference(v)) return 'not a reference';
      return c.targets?.includes(v.logicalName) ? null : `cannot point to ${v.logicalName}`;
  }
}

/** Every problem that would stop the seed loading, in order; empty when the seed is sound. */
function loadProblems(records: readonly SeedRecord[]): string[] {
  const problems: string[] = [];
  const created = new Set<string>();
  const ids = new Set<string>();
  records.forEach((r, i) => {
    const t = schema.table(r.table);
    if (!t) {
      problems.push(`#${i}: no table ${r.table}`);
      return;
    }
    const id = r.attributes[t.primaryIdAttribute];
    if (typeof id !== 'string') problems.push(`#${i} ${r.table}: no primary id`);
    else if (ids.has(id)) problems.push(`#${i} ${r.table}: id ${id} used twice`);
    else ids.add(id);
    for (const [name, value] of Object.entries(r.attributes)) {
      const c = t.columns[name];
      if (!c) {
        problems.push(`#${i} ${r.table}.${name}: no such column`);
        continue;
      }
      const p = valueProblem(c, value);
      if (p) problems.push(`#${i} ${r.table}.${name}: ${p}`);
      // Rows are created in order, so a lookup must name a row created before this one.
      if (isEntityReference(value) && !created.has(`${value.logicalName}:${value.id}`) && !(value.logicalName === r.table && value.id === id)) {
        problems.push(`#${i} ${r.table}.${name}: ${value.logicalName} ${value.id} is not created before it`);
      }
    }
    for (const c of Object.values(t.columns)) {
      if (c.required === 'system' && !c.readOnly && c.logicalName !== 'statecode' && (r.attributes[c.logicalName] ?? null) === null) {
        problems.push(`#${i} ${r.table}.${c.logicalName}: system-required but empty`);
      }
    }
    if (typeof id === 'string') created.add(`${r.table}:${id}`);
  });
  return problems;
}

const rowsOf = (records: readonly SeedRecord[], table: string): Attributes[] => records.filter((r) => r.table === table).map((r) => r.attributes);
const refId = (v: AttributeValue | undefined): string | null => (isEntityReference(v) ? v.id : null);

describe('seed kinds', () => {
  it.each(['empty', 'telecom', 'scale:1200'] as const)('%s loads: known tables and columns, valid values, lookups to earlier rows, unique ids', (kind) => {
    expect(loadProblems(seedRecords(kind, schema))).toEqual([]);
  });

  it('refuses an unknown kind with a message that lists the valid ones', () => {
    expect(() => seedRecords('demo' as never, schema)).toThrow(/empty.*telecom.*scale/);
    expect(() => seedRecords('scale:0' as never, schema)).toThrow(/positive whole number/);
    expect(isSeedKind('scale:25')).toBe(true);
    expect(isSeedKind('scale:0')).toBe(false);
    expect(isSeedKind('scale:x')).toBe(false);
    expect(isSeedKind('telecom')).toBe(true);
  });

  it('is deterministic: the same rows and ids every run', () => {
    expect(seedRecords('telecom', schema)).toEqual(seedRecords('telecom', schema));
    expect(scaleSeed(700)).toEqual(scaleSeed(700));
  });

  it('derives ids as name-based v5 UUIDs that never change between versions', () => {
    expect(seedId('baseline:systemuser:admin')).toBe(SANDBOX_USER_ID);
    expect(seedId('a')).toMatch(GUID);
    expect(seedId('a')).not.toBe(seedId('b'));
    // Pinned (and equal to Python's uuid.uuid5 for the same namespace and name): changing the namespace or the
    // hashing would break bookmarks, scripts and stored test data.
    expect(seedId('pfb')).toBe('28e06799-c660-580a-9708-3261cf31d7ea');
  });
});

describe('baseline', () => {
  const base = seedRecords('empty', schema);

  it('has the admin WhoAmI returns and the bridge application user', () => {
    const users = rowsOf(base, 'systemuser');
    expect(users.find((u) => u.systemuserid === SANDBOX_USER_ID)).toMatchObject({ fullname: 'Sandbox Admin', applicationid: null });
    expect(users.find((u) => u.systemuserid === BRIDGE_APP_USER_ID)).toMatchObject({ fullname: 'Field Bridge (app)', applicationid: expect.stringMatching(GUID) });
  });

  it('has filters for the CRUD messages on every table and bulk messages where clients may use them', () => {
    const filters = rowsOf(base, 'sdkmessagefilter');
    const has = (message: keyof typeof SDK_MESSAGE_IDS, table: string): boolean =>
      filters.some((f) => refId(f.sdkmessageid) === SDK_MESSAGE_IDS[message] && f.primaryobjecttypecode === table);
    for (const t of schema.tables) {
      for (const m of ['Create', 'Update', 'Delete', 'Upsert', 'Retrieve', 'RetrieveMultiple'] as const) expect([m, t.logicalName, has(m, t.logicalName)]).toEqual([m, t.logicalName, true]);
    }
    for (const t of ['msdyn_workorder', 'pfb_tasksync', 'pfb_projectprogress', 'pfb_fieldevent', 'bookableresourcebooking', 'account', 'contact']) {
      for (const m of ['CreateMultiple', 'UpdateMultiple', 'UpsertMultiple'] as const) expect([m, t, has(m, t)]).toEqual([m, t, true]);
    }
    // Tasks refuse plain writes, so a client must not discover bulk messages for them.
    expect(has('UpsertMultiple', 'msdyn_projecttask')).toBe(false);
  });

  it('has the Field Service default booking statuses with their status and field service status', () => {
    const byName = Object.fromEntries(rowsOf(base, 'bookingstatus').map((s) => [s.name, s]));
    expect(byName['In Progress']).toMatchObject({ status: 2, msdyn_fieldservicestatus: BookingSystemStatus.InProgress });
    expect(byName['On Break']).toMatchObject({ status: 2, msdyn_fieldservicestatus: BookingSystemStatus.OnBreak });
    expect(byName.Canceled).toMatchObject({ status: 3, msdyn_fieldservicestatus: BookingSystemStatus.Canceled });
    expect(byName.Proposed).toMatchObject({ status: 1, msdyn_fieldservicestatus: null });
    expect(Object.keys(byName).sort()).toEqual(Object.keys(BOOKING_STATUS_IDS).sort());
  });
});

describe('telecom program', () => {
  const records = telecomSeed();
  const tasks = rowsOf(records, 'msdyn_projecttask');
  const leaves = tasks.filter((t) => t.msdyn_summary === false);
  const assignments = rowsOf(records, 'msdyn_resourceassignment');
  const members = new Map(rowsOf(records, 'msdyn_projectteam').map((m) => [m.msdyn_projectteamid as string, m]));
  const roles = new Map(rowsOf(records, 'bookableresourcecategory').map((c) => [c.bookableresourcecategoryid as string, c]));
  const projects = rowsOf(records, 'msdyn_project');
  const invalid = new Set(Object.values(TELECOM_INVALID_TASKS).map((t) => t.id));
  const assignmentsOf = (taskId: unknown): Attributes[] => assignments.filter((a) => refId(a.msdyn_taskid) === taskId);
  const childrenOf = (taskId: unknown): Attributes[] => tasks.filter((t) => refId(t.msdyn_parenttask) === taskId);

  it('has about 60 tasks in four projects, three outline levels deep', () => {
    expect(projects).toHaveLength(4);
    expect(tasks.length).toBeGreaterThanOrEqual(55);
    expect(tasks.length).toBeLessThanOrEqual(70);
    expect(new Set(tasks.map((t) => t.msdyn_outlinelevel))).toEqual(new Set([1, 2, 3]));
    for (const t of tasks) {
      const parent = tasks.find((p) => p.msdyn_projecttaskid === refId(t.msdyn_parenttask));
      if (t.msdyn_outlinelevel === 1) expect(parent).toBeUndefined();
      else expect(parent?.msdyn_outlinelevel).toBe((t.msdyn_outlinelevel as number) - 1);
      if (parent) expect(refId(parent.msdyn_project)).toBe(refId(t.msdyn_project));
    }
  });

  it('marks exactly the tasks with children as summaries and rolls effort and dates up into them', () => {
    for (const t of tasks) {
      const kids = childrenOf(t.msdyn_projecttaskid);
      expect(t.msdyn_summary).toBe(kids.length > 0);
      if (kids.length === 0) continue;
      expect(t.msdyn_effort).toBeCloseTo(kids.reduce((s, k) => s + (k.msdyn_effort as number), 0), 2);
      expect(t.msdyn_scheduledstart).toBe(kids.map((k) => k.msdyn_scheduledstart as string).sort()[0]);
      expect(t.msdyn_scheduledend).toBe(kids.map((k) => k.msdyn_scheduledend as string).sort().at(-1));
    }
  });

  it('assigns every valid leaf task to generic team members, several for multi-resource tasks', () => {
    for (const l of leaves) {
      const own = assignmentsOf(l.msdyn_projecttaskid);
      if (l.msdyn_projecttaskid === TELECOM_INVALID_TASKS.noResource.id) {
        expect(own).toEqual([]);
        continue;
      }
      expect([l.msdyn_subject, own.length > 0]).toEqual([l.msdyn_subject, true]);
      for (const a of own) {
        const m = members.get(refId(a.msdyn_projectteamid) as string);
        expect(m?.msdyn_bookableresourceid).toBeNull();
        expect(roles.has(refId(m?.msdyn_resourcecategory) as string)).toBe(true);
        expect(refId(m?.msdyn_project)).toBe(refId(l.msdyn_project));
      }
    }
    expect(assignments.every((a) => leaves.some((l) => l.msdyn_projecttaskid === refId(a.msdyn_taskid)))).toBe(true);
  });

  it('covers all four planning scenarios', () => {
    const scenario = (l: Attributes): string => `${(l.msdyn_duration as number) > 1 ? 'multi' : 'single'}-day/${assignmentsOf(l.msdyn_projecttaskid).length > 1 ? 'multi' : 'single'}-resource`;
    const seen = new Set(leaves.filter((l) => !invalid.has(l.msdyn_projecttaskid as string)).map(scenario));
    expect(seen).toEqual(new Set(['single-day/single-resource', 'single-day/multi-resource', 'multi-day/single-resource', 'multi-day/multi-resource']));
  });

  it('gives valid leaves effort of 8 h per working day per resource, shared over their assignments', () => {
    for (const l of leaves.filter((x) => !invalid.has(x.msdyn_projecttaskid as string))) {
      const own = assignmentsOf(l.msdyn_projecttaskid);
      expect(l.msdyn_effort).toBeCloseTo((l.msdyn_duration as number) * 8 * own.length, 2);
      expect(own.reduce((s, a) => s + (a.msdyn_plannedwork as number), 0)).toBeCloseTo(l.msdyn_effort as number, 1);
    }
  });

  it('schedules leaves 08:00–17:00 site time on weekdays, across daylight-saving changes', () => {
    const zoneOf = new Map(projects.map((p) => [p.msdyn_projectid as string, p.pfb_timezone as string]));
    for (const l of leaves) {
      const zone = zoneOf.get(refId(l.msdyn_project) as string) as string;
      const local = (iso: unknown): string =>
        new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso as string));
      expect(local(l.msdyn_scheduledstart)).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 08:00$/);
      expect(local(l.msdyn_scheduledend)).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 17:00$/);
    }
    // 08:00 in Sydney is 21:00Z before the clocks go back on 4 April 2027 and 22:00Z after.
    const starts = leaves.filter((l) => zoneOf.get(refId(l.msdyn_project) as string) === 'Australia/Sydney').map((l) => (l.msdyn_scheduledstart as string).slice(11));
    expect(new Set(starts)).toEqual(new Set(['21:00:00Z', '22:00:00Z']));
  });

  it('sets the project fields validation and planning need', () => {
    for (const p of projects) {
      expect(['Australia/Sydney', 'Europe/London']).toContain(p.pfb_timezone);
      expect(p).toMatchObject({ pfb_workinghours: 'Mon-Fri 08:00-17:00', pfb_fieldenabled: true });
      expect(refId(p.pfb_serviceaccount)).not.toBeNull();
      expect(refId(p.pfb_pricelist)).not.toBeNull();
    }
    expect(new Set(projects.map((p) => p.pfb_timezone))).toEqual(new Set(['Australia/Sydney', 'Europe/London']));
  });

  it('maps every role but Traffic Controller to a work order type and characteristic', () => {
    for (const c of roles.values()) {
      const mapped = c.name !== 'Traffic Controller';
      expect([c.name, refId(c.pfb_workordertype) !== null, refId(c.pfb_characteristic) !== null]).toEqual([c.name, mapped, mapped]);
    }
  });

  it('keeps the deliberately invalid tasks invalid for the reason documented', () => {
    const task = (id: string): Attributes => tasks.find((t) => t.msdyn_projecttaskid === id) as Attributes;
    expect(task(TELECOM_INVALID_TASKS.noEffort.id).msdyn_effort).toBe(0);
    expect(task(TELECOM_INVALID_TASKS.endBeforeStart.id).msdyn_scheduledend! < task(TELECOM_INVALID_TASKS.endBeforeStart.id).msdyn_scheduledstart!).toBe(true);
    const roleNames = assignmentsOf(TELECOM_INVALID_TASKS.unmappedRole.id).map((a) => roles.get(refId(members.get(refId(a.msdyn_projectteamid) as string)?.msdyn_resourcecategory) as string)?.name);
    expect(roleNames).toEqual(['Traffic Controller']);
    for (const t of Object.values(TELECOM_INVALID_TASKS)) expect(task(t.id).msdyn_summary).toBe(false);
  });

  it('has about twenty named technicians with roles and tickets', () => {
    const resources = rowsOf(records, 'bookableresource');
    expect(resources.length).toBeGreaterThanOrEqual(18);
    const assn = rowsOf(records, 'bookableresourcecategoryassn');
    const tickets = rowsOf(records, 'bookableresourcecharacteristic');
    for (const r of resources) {
      expect(assn.some((a) => refId(a.resource) === r.bookableresourceid)).toBe(true);
      expect(tickets.some((c) => refId(c.resource) === r.bookableresourceid)).toBe(true);
      if (r.resourcetype === ResourceType.User) expect(refId(r.userid)).not.toBeNull();
      else expect([r.resourcetype, refId(r.contactid) !== null]).toEqual([ResourceType.Contact, true]);
    }
  });
});

describe('scale seed', () => {
  it('builds 5,000 leaf tasks in projects within the 500-task limit, in well under 2 s', () => {
    const t0 = performance.now();
    const records = scaleSeed(5000);
    const elapsed = performance.now() - t0;
    const tasks = rowsOf(records, 'msdyn_projecttask');
    const leaves = tasks.filter((t) => t.msdyn_summary === false);
    expect(leaves).toHaveLength(5000);
    const perProject = new Map<string, number>();
    for (const t of tasks) perProject.set(refId(t.msdyn_project) as string, (perProject.get(refId(t.msdyn_project) as string) ?? 0) + 1);
    expect(perProject.size).toBe(Math.ceil(5000 / LEAVES_PER_PROJECT));
    expect(Math.max(...perProject.values())).toBeLessThanOrEqual(MAX_TASKS_PER_PROJECT);
    const perTask = new Map<string, number>();
    for (const a of rowsOf(records, 'msdyn_resourceassignment')) perTask.set(refId(a.msdyn_taskid) as string, (perTask.get(refId(a.msdyn_taskid) as string) ?? 0) + 1);
    expect(leaves.every((l) => (perTask.get(l.msdyn_projecttaskid as string) ?? 0) > 0)).toBe(true);
    expect(leaves.some((l) => (l.msdyn_duration as number) > 1 && (perTask.get(l.msdyn_projecttaskid as string) ?? 0) > 1)).toBe(true);
    expect(leaves.some((l) => l.msdyn_duration === 1 && perTask.get(l.msdyn_projecttaskid as string) === 1)).toBe(true);
    expect(elapsed).toBeLessThan(2000);
  });

  it('handles counts that do not fill the last project', () => {
    const leaves = rowsOf(scaleSeed(451), 'msdyn_projecttask').filter((t) => t.msdyn_summary === false);
    expect(leaves).toHaveLength(451);
    expect(() => scaleSeed(-1)).toThrow(/whole number/);
  });
});

/**
 * The telecom demo program, read from the local Dataverse's seed rows the way the ribbon reads them from the Web
 * API (tasks with their assignments and team members, their projects, the roles used): its deliberately invalid
 * tasks are refused with the right code and every other field task goes through.
 */
import { bookableresourcecategory, msdyn_project, msdyn_projectteam, msdyn_projecttask, msdyn_resourceassignment, type TableDef } from '../schema';
import { TELECOM_INVALID_TASKS, TELECOM_PROJECT_IDS, telecomSeed } from '../../../sandbox/dataverse/src/seed/telecom';
import type { ValidationCode } from './codes';
import type { ValidationContext, ValidationProject, ValidationRole, ValidationTask } from './types';
import { validateTasks } from './validateTasks';

type Row = Readonly<Record<string, unknown>>;

const records = telecomSeed();
const rowsOf = (table: TableDef): Row[] => records.filter((r) => r.table === table.logicalName).map((r) => r.attributes);
const refId = (v: unknown): string | null => (typeof v === 'object' && v !== null && 'id' in v ? String((v as { id: unknown }).id) : null);
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

const tasks = rowsOf(msdyn_projecttask);
const members = new Map(rowsOf(msdyn_projectteam).map((m) => [m.msdyn_projectteamid as string, m]));
const roleRows = rowsOf(bookableresourcecategory);
const roleName = new Map(roleRows.map((r) => [r.bookableresourcecategoryid as string, r.name as string]));

const roles: ValidationRole[] = roleRows.map((r) => ({
  id: r.bookableresourcecategoryid as string,
  name: r.name as string,
  workOrderTypeId: refId(r.pfb_workordertype),
  characteristicId: refId(r.pfb_characteristic),
}));

const projects: ValidationProject[] = rowsOf(msdyn_project).map((p) => ({
  id: p.msdyn_projectid as string,
  name: p.msdyn_subject as string,
  serviceAccountId: refId(p.pfb_serviceaccount),
  priceListId: refId(p.pfb_pricelist),
  timeZone: text(p.pfb_timezone),
  workingHours: text(p.pfb_workinghours),
  fieldEnabled: p.pfb_fieldenabled === true,
  taskCount: tasks.filter((t) => refId(t.msdyn_project) === p.msdyn_projectid).length,
}));

const assignments = rowsOf(msdyn_resourceassignment);

const selection: ValidationTask[] = tasks.map((t) => ({
  id: t.msdyn_projecttaskid as string,
  name: t.msdyn_subject as string,
  projectId: refId(t.msdyn_project) as string,
  isSummary: t.msdyn_summary === true,
  effortHours: typeof t.msdyn_effort === 'number' ? t.msdyn_effort : null,
  start: text(t.msdyn_scheduledstart),
  end: text(t.msdyn_scheduledend),
  assignments: assignments
    .filter((a) => refId(a.msdyn_taskid) === t.msdyn_projecttaskid)
    .map((a) => {
      const member = members.get(refId(a.msdyn_projectteamid) as string) as Row;
      const roleId = refId(member.msdyn_resourcecategory);
      return {
        teamMemberId: member.msdyn_projectteamid as string,
        teamMemberName: text(member.msdyn_name),
        roleId,
        roleName: roleId ? (roleName.get(roleId) ?? null) : null,
        bookableResourceId: refId(member.msdyn_bookableresourceid),
      };
    }),
}));

const context: ValidationContext = {
  projects: new Map(projects.map((p) => [p.id, p])),
  roles: Object.fromEntries(roles.map((r) => [r.id, r])),
  // Before the program's first task, so no task is in the past.
  now: new Date('2027-01-01T00:00:00Z'),
};
const result = validateTasks(selection, context);
const issuesOf = (id: string): ValidationCode[] => result.issues.filter((i) => i.taskId === id).map((i) => i.code);

describe('validation of the telecom seed', () => {
  it.each([
    ['noEffort', ['missingEffort']],
    ['unmappedRole', ['roleWithoutWorkOrderType', 'roleWithoutCharacteristic']],
    ['noResource', ['noGenericResource']],
    ['endBeforeStart', ['endBeforeStart']],
  ] as const)('refuses the %s task with the right code', (which, codes) => {
    const seeded = TELECOM_INVALID_TASKS[which];
    expect(issuesOf(seeded.id)).toEqual(codes);
    expect(result.invalid.map((i) => i.task.id)).toContain(seeded.id);
    expect(result.issues.find((i) => i.taskId === seeded.id)?.message).toContain(`“${seeded.subject}”`);
  });

  it('refuses the summary tasks as not field work', () => {
    const summaries = selection.filter((t) => t.isSummary);
    expect(summaries.length).toBeGreaterThan(0);
    for (const t of summaries) expect(issuesOf(t.id)).toEqual(['summaryTask']);
  });

  it('lets every other field task through without a single issue, across the Sydney and London clock changes', () => {
    const invalidIds = new Set<string>(Object.values(TELECOM_INVALID_TASKS).map((t) => t.id));
    const leaves = selection.filter((t) => !t.isSummary && !invalidIds.has(t.id));
    expect(leaves.length).toBe(40);
    for (const t of leaves) expect([t.name, issuesOf(t.id)]).toEqual([t.name, []]);
    expect(result.valid).toEqual(leaves);
  });

  it('passes a multi-role task in the New England project', () => {
    const aau = selection.find((t) => t.projectId === TELECOM_PROJECT_IDS['new-england'] && t.name === 'Install 5G AAU & RRU') as ValidationTask;
    expect(new Set(aau.assignments.map((a) => a.roleName))).toEqual(new Set(['Tower Rigger', 'RF Technician']));
    expect(validateTasks([aau], context)).toEqual({ valid: [aau], invalid: [], issues: [] });
  });
});

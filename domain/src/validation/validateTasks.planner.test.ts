/**
 * The contract between validation and the planner: a task validation lets through must be plannable, or the
 * coordinator marks it Ready to Sync and sees it fail in the bridge. The one refusal validation cannot foresee is
 * `effortTooSmall` (less than 0.01 h per work order), which depends on the planning policy's slot count.
 */
import fc from 'fast-check';
import { planWorkOrders, PlanningError, parseWorkingHours, type RoleDemand } from '../planning';
import type { ValidationAssignment, ValidationContext, ValidationProject, ValidationRole, ValidationTask } from './types';
import { validateTasks } from './validateTasks';

const ZONES = ['Australia/Sydney', 'Europe/London', 'Australia/Lord_Howe', 'America/St_Johns', 'Asia/Kolkata', 'UTC'];
const TEMPLATES = ['Mon-Fri 08:00-17:00', 'Mon-Thu,Sat 07:00-15:30', 'Sun 00:00-24:00', 'Sat 01:30-02:45', 'Mon-Sun 22:00-23:00'];

const ROLES: readonly ValidationRole[] = [
  { id: 'r-rigger', name: 'Tower Rigger', workOrderTypeId: 'wot-tower', characteristicId: 'ch-heights' },
  { id: 'r-rf', name: 'RF Technician', workOrderTypeId: 'wot-rf', characteristicId: 'ch-rf' },
];

const arbProject: fc.Arbitrary<ValidationProject> = fc.record({
  id: fc.constant('p'),
  name: fc.constant('Site'),
  serviceAccountId: fc.constant('acc'),
  priceListId: fc.constant('pl'),
  timeZone: fc.constantFrom(...ZONES),
  workingHours: fc.constantFrom(...TEMPLATES),
  fieldEnabled: fc.constant(true),
});

const arbAssignment: fc.Arbitrary<ValidationAssignment> = fc.record({
  teamMemberId: fc.uuid(),
  roleId: fc.constantFrom('r-rigger', 'r-rf'),
  roleName: fc.constant(null),
  bookableResourceId: fc.constantFrom<string | null>(null, null, null, 'br-named'),
});

const MINUTE = 60_000;
const arbTask: fc.Arbitrary<ValidationTask> = fc
  .record({
    startMs: fc.integer({ min: Date.UTC(1999, 11, 30), max: Date.UTC(2031, 0, 1) }),
    // From a minute to past the 1,250-day limit, weighted towards field-sized tasks.
    minutes: fc.oneof(fc.integer({ min: 1, max: 10 * 24 * 60 }), fc.integer({ min: 1, max: 1300 * 24 * 60 })),
    // Hundredths of an hour, as msdyn_effort stores it.
    effortHours: fc.integer({ min: 0, max: 2_000_000 }).map((centi) => centi / 100),
    assignments: fc.oneof(fc.array(arbAssignment, { minLength: 1, maxLength: 4 }), fc.array(arbAssignment, { minLength: 1, maxLength: 22 })),
  })
  .map(({ startMs, minutes, effortHours, assignments }) => ({
    id: 't',
    name: 'Task',
    projectId: 'p',
    isSummary: false,
    effortHours,
    start: new Date(startMs).toISOString(),
    end: new Date(startMs + minutes * MINUTE).toISOString(),
    assignments,
  }));

/** What the bridge hands the planner for a task: generic assignments grouped by role. */
function resourcesOf(task: ValidationTask): RoleDemand[] {
  const counts = new Map<string, number>();
  for (const a of task.assignments) if (!a.bookableResourceId && a.roleId) counts.set(a.roleId, (counts.get(a.roleId) ?? 0) + 1);
  return [...counts].map(([roleId, count]) => ({ roleId, roleName: ROLES.find((r) => r.id === roleId)?.name ?? roleId, count }));
}

describe('validation and the planner', () => {
  it('lets through only tasks the planner can plan', () => {
    let planned = 0;
    fc.assert(
      fc.property(arbProject, arbTask, (project, task) => {
        const context: ValidationContext = { projects: { p: project }, roles: new Map(ROLES.map((r) => [r.id, r])), now: new Date('1990-01-01T00:00:00Z') };
        if (validateTasks([task], context).valid.length === 0) return;
        const hours = parseWorkingHours(project.workingHours as string);
        if (!hours.ok) throw new Error(hours.problem);
        const input = {
          taskId: task.id,
          taskName: task.name,
          start: task.start as string,
          end: task.end as string,
          effortHours: task.effortHours as number,
          resources: resourcesOf(task),
          timeZone: project.timeZone as string,
          workingHours: hours.value,
        };
        for (const policy of ['perDay', 'wholeWindow'] as const) {
          try {
            planWorkOrders({ ...input, policy });
            planned += 1;
          } catch (e) {
            if (!(e instanceof PlanningError) || e.code !== 'effortTooSmall') throw e;
          }
        }
      }),
      { numRuns: 500 },
    );
    // The generators must reach the planner often enough for the property to mean something.
    expect(planned).toBeGreaterThan(100);
  });
});

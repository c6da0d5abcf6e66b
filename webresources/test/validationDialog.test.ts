/**
 * Each validation failure produces the right message: for every validation code, a task that has exactly that
 * problem is refused (errors) or sent with a warning, and the dialog shows the domain's sentence for it — the task,
 * the problem and the fix — word for word.
 */
import { VALIDATION_CODES, VALIDATION_CODE_INFO, formatValidationIssue, type ValidationCode } from '@pfb/domain';
import { problemsDialog } from '../src/readyToSync/dialogText';
import { planReadyToSync } from '../src/readyToSync/plan';
import type { TaskRecord } from '../src/readyToSync/taskRows';
import { createStrings } from '../src/strings/localize';
import { ASSIGNMENT, NOW, ROLE, SyncStatus, otherValidRecord, record } from './support/records';

const strings = createStrings(1033);

const CASES: Readonly<Record<ValidationCode, () => TaskRecord>> = {
  summaryTask: () => record('Phase 2 – tower works', { task: { isSummary: true } }),
  alreadySyncing: () => record('Install antenna', { syncStatus: SyncStatus.Syncing }),
  missingEffort: () => record('Landlord liaison visit', { task: { effortHours: 0 } }),
  effortNotPositive: () => record('Negative effort', { task: { effortHours: -4 } }),
  missingStart: () => record('No start', { task: { start: null } }),
  invalidStart: () => record('Bad start', { task: { start: 'next Tuesday' } }),
  missingEnd: () => record('No end', { task: { end: null } }),
  invalidEnd: () => record('Bad end', { task: { end: '31/31/2027' } }),
  startOutOfRange: () => record('Too early', { task: { start: '1999-06-01T00:00:00Z', end: '2000-01-10T06:00:00Z' } }),
  endOutOfRange: () => record('Too late', { task: { start: '2149-12-20T21:00:00Z', end: '2150-01-05T06:00:00Z' } }),
  endBeforeStart: () => record('Structural engineer sign-off', { task: { start: '2027-03-05T21:00:00Z', end: '2027-03-02T06:00:00Z' } }),
  taskTooLong: () => record('Five-year maintenance', { task: { start: '2027-01-03T21:00:00Z', end: '2031-06-30T06:00:00Z' } }),
  // Saturday 6 March 2027, 09:00–12:00 site time: no working time in Mon–Fri.
  noWorkingTime: () => record('Weekend crane lift', { task: { start: '2027-03-05T22:00:00Z', end: '2027-03-06T01:00:00Z' } }),
  taskInPast: () => record('Last year’s survey', { task: { start: '2026-03-01T21:00:00Z', end: '2026-03-02T06:00:00Z' } }),
  noGenericResource: () => record('Remove decommissioned 3G equipment', { task: { assignments: [] } }),
  assignmentWithoutRole: () => record('Role missing', { task: { assignments: [{ ...ASSIGNMENT, roleId: null, roleName: null, teamMemberName: 'Generic 1' }] } }),
  namedAssignment: () => record('Named tech too', { task: { assignments: [ASSIGNMENT, { ...ASSIGNMENT, teamMemberId: '70000000-0000-4000-8000-000000000002', teamMemberName: 'Ava Chen', bookableResourceId: 'a0000000-0000-4000-8000-000000000001' }] } }),
  tooManyResources: () =>
    record('Crowded task', { task: { assignments: Array.from({ length: 21 }, (_, i) => ({ ...ASSIGNMENT, teamMemberId: `70000000-0000-4000-8000-1${String(i).padStart(11, '0')}` })) } }),
  roleNotFound: () => record('Unknown role', { roles: [] }),
  roleWithoutWorkOrderType: () => record('Traffic management for crane lift', { roles: [{ ...ROLE, workOrderTypeId: null }] }),
  roleWithoutCharacteristic: () => record('No skill needed', { roles: [{ ...ROLE, characteristicId: null }] }),
  projectNotFound: () => record('Orphan task', { project: null }),
  projectNotFieldEnabled: () => record('Office task', { project: { fieldEnabled: false } }),
  projectWithoutServiceAccount: () => record('No site', { project: { serviceAccountId: null } }),
  projectWithoutPriceList: () => record('No prices', { project: { priceListId: null } }),
  projectWithoutTimeZone: () => record('No zone', { project: { timeZone: null } }),
  projectInvalidTimeZone: () => record('Bad zone', { project: { timeZone: 'Mars/Olympus_Mons' } }),
  projectWithoutWorkingHours: () => record('No hours', { project: { workingHours: null } }),
  projectInvalidWorkingHours: () => record('Bad hours', { project: { workingHours: 'Funday 25:00-26:00' } }),
  projectTooManyTasks: () => record('Big project', { project: { taskCount: 612 } }),
};

describe('each validation failure in the Ready to Sync dialog', () => {
  it('has a case for every validation code of the domain', () => {
    expect(Object.keys(CASES).sort()).toEqual([...VALIDATION_CODES].sort());
  });

  it.each(VALIDATION_CODES.map((code) => [code]))('%s', (code) => {
    const bad = CASES[code]();
    // A valid task beside it, so the dialog offers to send the rest.
    const good = otherValidRecord('Install 5G AAU & RRU');
    const plan = planReadyToSync({ mode: 'selection', requestedIds: [bad.task.id, good.task.id], records: [bad, good], now: NOW });
    const issues = [...plan.invalid.flatMap((t) => t.issues), ...plan.warnings].filter((i) => i.taskId === bad.task.id);
    const issue = issues.find((i) => i.code === code);
    expect(issue).toBeDefined();
    const dialog = problemsDialog(strings, { invalid: plan.invalid, warnings: plan.warnings, toQueueCount: plan.toQueue.length });
    expect(dialog.text).toContain(`• ${formatValidationIssue(issue as NonNullable<typeof issue>)}`);
    expect(dialog.text).toContain(`“${bad.task.name}”`);

    if (VALIDATION_CODE_INFO[code].severity === 'error') {
      expect(plan.invalid.map((t) => t.task.id)).toContain(bad.task.id);
      expect(plan.toQueue.map((r) => r.task.id)).toEqual([good.task.id]);
      expect(dialog.title).toBe('Some tasks can’t go to the field');
      expect(dialog.confirmLabel).toBe('Send the other task');
    } else {
      expect(plan.toQueue.map((r) => r.task.id)).toEqual([bad.task.id, good.task.id]);
      expect(dialog.title).toBe('Send with warnings?');
      expect(dialog.confirmLabel).toBe('Send 2 tasks');
    }
  });

  it('words the problems exactly as a coordinator reads them', () => {
    // Three tasks with their own project and role each, so one task's broken reference data is not another's.
    const trafficRole = { ...ROLE, id: '40000000-0000-4000-8000-000000000002', name: 'Traffic Controller', workOrderTypeId: null };
    const records = [
      CASES.missingEffort(),
      record('Traffic management for crane lift', { task: { assignments: [{ ...ASSIGNMENT, roleId: trafficRole.id, roleName: trafficRole.name }] }, roles: [trafficRole] }),
      record('Site acceptance inspection', { task: { projectId: '10000000-0000-4000-8000-000000000003' }, project: { id: '10000000-0000-4000-8000-000000000003', name: 'New England cluster', priceListId: null } }),
      otherValidRecord('Fine task'),
    ];
    const plan = planReadyToSync({ mode: 'selection', requestedIds: records.map((r) => r.task.id), records, now: NOW });
    expect(problemsDialog(strings, { invalid: plan.invalid, warnings: plan.warnings, toQueueCount: plan.toQueue.length }).text).toBe(
      [
        '3 tasks can’t go to the field. Fix them, then mark them Ready to Sync again:',
        '• Task “Landlord liaison visit” has no estimated effort — set Effort on the task to the hours of work it needs',
        '• Task “Traffic management for crane lift” uses role “Traffic Controller”, which has no work order type, so no work order can be created for it — set Work Order Type on role “Traffic Controller”, or assign a generic resource of a role that has one',
        '• Task “Site acceptance inspection” can’t go to the field: project “New England cluster” has no field price list — set Field Price List on project “New England cluster”',
      ].join('\n'),
    );
  });
});

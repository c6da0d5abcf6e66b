/** Plain TaskRecords for the pure tests: one valid task in a valid project, changed per case. */
import { SyncStatus, type ValidationAssignment, type ValidationProject, type ValidationRole } from '@pfb/domain';
import type { TaskRecord } from '../../src/readyToSync/taskRows';

export const PROJECT: ValidationProject = {
  id: '10000000-0000-4000-8000-000000000001',
  name: 'Hunter Valley cluster',
  serviceAccountId: '20000000-0000-4000-8000-000000000001',
  priceListId: '30000000-0000-4000-8000-000000000001',
  timeZone: 'Australia/Sydney',
  workingHours: 'Mon-Fri 08:00-17:00',
  fieldEnabled: true,
};

export const ROLE: ValidationRole = {
  id: '40000000-0000-4000-8000-000000000001',
  name: 'Tower Rigger',
  workOrderTypeId: '50000000-0000-4000-8000-000000000001',
  characteristicId: '60000000-0000-4000-8000-000000000001',
};

export const ASSIGNMENT: ValidationAssignment = {
  teamMemberId: '70000000-0000-4000-8000-000000000001',
  teamMemberName: 'Tower Rigger 1',
  roleId: ROLE.id,
  roleName: ROLE.name,
  bookableResourceId: null,
};

let n = 0;
export function record(name: string, change: { task?: Partial<TaskRecord['task']>; project?: Partial<ValidationProject> | null; roles?: ValidationRole[]; syncStatus?: number | null } = {}): TaskRecord {
  n += 1;
  const id = `80000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const project = change.project === null ? null : { ...PROJECT, ...change.project };
  const status = change.syncStatus === undefined ? null : change.syncStatus;
  return {
    task: {
      id,
      name,
      projectId: PROJECT.id,
      isSummary: false,
      effortHours: 16,
      // Mon 1 – Tue 2 March 2027, site time (UTC+11).
      start: '2027-02-28T21:00:00Z',
      end: '2027-03-02T06:00:00Z',
      assignments: [ASSIGNMENT],
      syncStatus: status,
      ...change.task,
    },
    project,
    roles: change.roles ?? [ROLE],
    syncRow: status === null ? null : { id: `90000000-0000-4000-8000-${String(n).padStart(12, '0')}`, status },
  };
}

export const NOW = new Date('2027-01-15T00:00:00Z');
export { SyncStatus };

/** A valid task of another project with another role: its project and role cannot stand in for a broken one's. */
export function otherValidRecord(name: string): TaskRecord {
  const projectId = '10000000-0000-4000-8000-000000000099';
  const role = { ...ROLE, id: '40000000-0000-4000-8000-000000000099', name: 'RF Technician' };
  const r = record(name, {
    task: { projectId, assignments: [{ ...ASSIGNMENT, teamMemberId: '70000000-0000-4000-8000-000000000099', roleId: role.id, roleName: role.name }] },
    project: { id: projectId, name: 'Central Coast cluster' },
    roles: [role],
  });
  return r;
}

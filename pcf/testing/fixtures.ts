/**
 * Test data in the shapes the platform hands the controls: dataset rows for the WBS (MockRow) and Web API rows with
 * their formatted-value annotations for the field side (task syncs, work orders, bookings, roles, events, progress).
 */
import {
  BookingSystemStatus,
  EventOutcome,
  FieldStage,
  FieldStatus,
  Scenario,
  SyncStatus,
  WorkOrderSystemStatus,
  bookableresourcebooking as B,
  bookingstatus as BS,
  msdyn_projectteam as TM,
  msdyn_projecttask as T,
  msdyn_resourceassignment as A,
  msdyn_workorder as W,
  pfb_fieldevent as E,
  pfb_projectprogress as P,
  pfb_tasksync as S,
} from '../shared/schemaNames';
import type { MockRow } from './mockDataset';

type Row = Record<string, unknown>;
const F = 'OData.Community.Display.V1.FormattedValue';

/** Deterministic GUIDs: guid('task', 3) → 00000000-0000-4000-8000-0000000t0003 style, distinct per kind. */
export function guid(kind: string, n: number): string {
  const k = [...kind].reduce((a, c) => (a * 31 + c.charCodeAt(0)) % 0xffff, 7);
  return `0000${k.toString(16).padStart(4, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export interface TaskSpec {
  readonly key: string;
  readonly name: string;
  readonly parent?: string;
  readonly summary?: boolean;
  readonly effort?: number;
  readonly project?: string;
}

const projectName = (key: string): string => `Project ${key}`;

export function taskRows(specs: readonly TaskSpec[]): MockRow[] {
  const ids = new Map(specs.map((s, i) => [s.key, guid('task', i + 1)]));
  return specs.map((s, i) => {
    const start = new Date(Date.UTC(2027, 2, 1 + i, 21));
    const end = new Date(Date.UTC(2027, 2, 2 + i, 6));
    const project = s.project ?? 'A';
    const parentId = s.parent ? ids.get(s.parent) : undefined;
    return {
      id: ids.get(s.key) as string,
      values: {
        [T.columns.msdyn_subject]: s.name,
        [T.columns.msdyn_parenttask]: parentId ? { id: parentId, name: specs.find((x) => x.key === s.parent)?.name, etn: T.logicalName } : null,
        [T.columns.msdyn_project]: { id: guid('project', project.charCodeAt(0)), name: projectName(project), etn: 'msdyn_project' },
        [T.columns.msdyn_summary]: s.summary ?? false,
        [T.columns.msdyn_scheduledstart]: start,
        [T.columns.msdyn_scheduledend]: end,
        [T.columns.msdyn_effort]: s.effort ?? 8,
        [T.columns.msdyn_outlinelevel]: s.parent ? 2 : 1,
        [T.columns.msdyn_displaysequence]: i + 1,
      },
      formatted: {
        [T.columns.msdyn_scheduledstart]: `3/${1 + i}/2027 9:00 PM`,
        [T.columns.msdyn_scheduledend]: `3/${2 + i}/2027 6:00 AM`,
        [T.columns.msdyn_effort]: (s.effort ?? 8).toFixed(2),
      },
    };
  });
}

export const projectIdOf = (key: string): string => guid('project', key.charCodeAt(0));

/** The small project of the lifecycle tests: two phases, four field tasks in four different states. */
export const SMALL_WBS: readonly TaskSpec[] = [
  { key: 'prep', name: 'Site preparation', summary: true, effort: 24 },
  { key: 'survey', name: 'Site survey', parent: 'prep', effort: 8 },
  { key: 'civil', name: 'Civil works', parent: 'prep', effort: 16 },
  { key: 'tower', name: 'Tower work', summary: true, effort: 40 },
  { key: 'antenna', name: 'Install antenna', parent: 'tower', effort: 32 },
  { key: 'sweep', name: 'RF sweep test', parent: 'tower', effort: 8 },
];

const label = <T extends Record<string, number>>(set: T, value: number): string => {
  const key = Object.keys(set).find((k) => set[k] === value) ?? String(value);
  return key.replace(/([a-z])([A-Z])/g, '$1 $2');
};

function taskSync(n: number, taskId: string, projectId: string, v: { status: number; field?: number; scenario?: number; planned: number; actual?: number; pct?: number; wos?: number; done?: number; error?: string }): Row {
  const variance = v.actual !== undefined ? v.actual - v.planned : null;
  return {
    [S.primaryIdAttribute]: guid('tasksync', n),
    [S.columns.pfb_name]: `Task sync ${n}`,
    [S.lookups.pfb_projecttask.valueProperty]: taskId,
    [S.lookups.pfb_project.valueProperty]: projectId,
    [S.columns.pfb_syncstatus]: v.status,
    [`${S.columns.pfb_syncstatus}@${F}`]: label(SyncStatus, v.status),
    [S.columns.pfb_scenario]: v.scenario ?? Scenario.SingleDaySingleResource,
    [`${S.columns.pfb_scenario}@${F}`]: 'Single day – single resource',
    [S.columns.pfb_fieldstatus]: v.field ?? null,
    ...(v.field !== undefined ? { [`${S.columns.pfb_fieldstatus}@${F}`]: label(FieldStatus, v.field) } : {}),
    [S.columns.pfb_lasterror]: v.error ?? null,
    [S.columns.pfb_plannedeffort]: v.planned,
    [S.columns.pfb_actualeffort]: v.actual ?? null,
    [S.columns.pfb_effortvariance]: variance,
    [S.columns.pfb_effortvariancepct]: variance !== null ? Math.round((variance / v.planned) * 10000) / 100 : null,
    [S.columns.pfb_percentcomplete]: v.pct ?? null,
    [S.columns.pfb_plannedworkorders]: v.wos ?? null,
    [S.columns.pfb_workorderscompleted]: v.done ?? null,
    [S.columns.pfb_workordersincomplete]: 0,
    [S.columns.pfb_actualstart]: v.actual !== undefined ? '2027-03-02T22:00:00Z' : null,
    [S.columns.pfb_actualend]: v.pct === 100 ? '2027-03-03T05:00:00Z' : null,
  };
}

function workOrder(n: number, taskId: string, projectId: string, taskSyncId: string, status: number, planned: number): Row {
  return {
    [W.primaryIdAttribute]: guid('workorder', n),
    [W.columns.msdyn_name]: `WO-${String(n).padStart(5, '0')}`,
    [W.columns.msdyn_systemstatus]: status,
    [`${W.columns.msdyn_systemstatus}@${F}`]: label(WorkOrderSystemStatus, status),
    [W.columns.msdyn_timefrompromised]: '2027-03-02T21:00:00Z',
    [`${W.columns.msdyn_timefrompromised}@${F}`]: '3/2/2027 9:00 PM',
    [W.columns.msdyn_timetopromised]: '2027-03-03T06:00:00Z',
    [`${W.columns.msdyn_timetopromised}@${F}`]: '3/3/2027 6:00 AM',
    [W.lookups.pfb_projecttask.valueProperty]: taskId,
    [W.lookups.pfb_project.valueProperty]: projectId,
    [W.lookups.pfb_tasksync.valueProperty]: taskSyncId,
    [W.columns.pfb_slotindex]: n,
    [W.columns.pfb_plannedeffort]: planned,
  };
}

export const BOOKING_STATUS = {
  scheduled: guid('bookingstatus', 1),
  inProgress: guid('bookingstatus', 2),
  completed: guid('bookingstatus', 3),
  canceled: guid('bookingstatus', 4),
} as const;

export function bookingStatuses(): Row[] {
  const row = (id: string, name: string, fs: number): Row => ({ [BS.primaryIdAttribute]: id, [BS.columns.name]: name, [BS.columns.msdyn_fieldservicestatus]: fs });
  return [
    row(BOOKING_STATUS.scheduled, 'Scheduled', BookingSystemStatus.Scheduled),
    row(BOOKING_STATUS.inProgress, 'In Progress', BookingSystemStatus.InProgress),
    row(BOOKING_STATUS.completed, 'Completed', BookingSystemStatus.Completed),
    row(BOOKING_STATUS.canceled, 'Canceled', BookingSystemStatus.Canceled),
  ];
}

export interface BookingSpec {
  readonly n: number;
  readonly workOrderId: string;
  readonly workOrderName: string;
  readonly technician: string;
  readonly status: keyof typeof BOOKING_STATUS;
  readonly stage?: keyof typeof FieldStage;
  readonly actualEffort?: number;
  readonly durationMinutes?: number;
  readonly incompleteReason?: string;
  readonly actualStart?: string;
  readonly actualEnd?: string;
}

export function booking(b: BookingSpec): Row {
  const statusName = { scheduled: 'Scheduled', inProgress: 'In Progress', completed: 'Completed', canceled: 'Canceled' }[b.status];
  return {
    [B.primaryIdAttribute]: guid('booking', b.n),
    [B.columns.name]: `Visit ${b.workOrderName}`,
    [B.columns.starttime]: '2027-03-02T22:00:00Z',
    [`${B.columns.starttime}@${F}`]: '3/2/2027 10:00 PM',
    [B.columns.endtime]: '2027-03-03T06:00:00Z',
    [`${B.columns.endtime}@${F}`]: '3/3/2027 6:00 AM',
    [B.columns.duration]: b.durationMinutes ?? 480,
    [B.lookups.resource.valueProperty]: guid('resource', b.n),
    [`${B.lookups.resource.valueProperty}@${F}`]: b.technician,
    [B.lookups.bookingstatus.valueProperty]: BOOKING_STATUS[b.status],
    [`${B.lookups.bookingstatus.valueProperty}@${F}`]: statusName,
    [B.lookups.msdyn_workorder.valueProperty]: b.workOrderId,
    [`${B.lookups.msdyn_workorder.valueProperty}@${F}`]: b.workOrderName,
    [B.columns.pfb_fieldstage]: b.stage ? FieldStage[b.stage] : null,
    ...(b.stage ? { [`${B.columns.pfb_fieldstage}@${F}`]: label(FieldStage, FieldStage[b.stage]) } : {}),
    [B.columns.pfb_fieldstageon]: b.stage ? '2027-03-03T01:00:00Z' : null,
    [B.columns.pfb_actualstart]: b.actualStart ?? null,
    [B.columns.pfb_actualend]: b.actualEnd ?? null,
    [B.columns.pfb_actualeffort]: b.actualEffort ?? null,
    [B.columns.pfb_incompletereason]: b.incompleteReason ?? null,
  };
}

export function fieldEvent(n: number, bookingId: string, stage: keyof typeof FieldStage, occurredOn: string, outcome: keyof typeof EventOutcome = 'Applied', sequence = n): Row {
  return {
    [E.primaryIdAttribute]: guid('event', n),
    [E.columns.pfb_eventid]: `evt-${n}`,
    [E.lookups.pfb_booking.valueProperty]: bookingId,
    [E.columns.pfb_stage]: FieldStage[stage],
    [`${E.columns.pfb_stage}@${F}`]: label(FieldStage, FieldStage[stage]),
    [E.columns.pfb_occurredon]: occurredOn,
    [E.columns.pfb_receivedon]: new Date(Date.parse(occurredOn) + 5000).toISOString().replace('.000', ''),
    [E.columns.pfb_sequence]: sequence,
    [E.columns.pfb_outcome]: EventOutcome[outcome],
    [`${E.columns.pfb_outcome}@${F}`]: outcome,
  };
}

export function roleRows(assignments: readonly { n: number; taskId: string; projectId: string; role: string }[]): { assignments: Row[]; members: Row[] } {
  const members: Row[] = [];
  const out: Row[] = [];
  for (const a of assignments) {
    const memberId = guid('member', a.n);
    members.push({ [TM.primaryIdAttribute]: memberId, [TM.lookups.msdyn_resourcecategory.valueProperty]: guid('role', a.role.length), [`${TM.lookups.msdyn_resourcecategory.valueProperty}@${F}`]: a.role });
    out.push({ [A.primaryIdAttribute]: guid('assignment', a.n), [A.lookups.msdyn_taskid.valueProperty]: a.taskId, [A.lookups.msdyn_projectid.valueProperty]: a.projectId, [A.lookups.msdyn_projectteamid.valueProperty]: memberId });
  }
  return { assignments: out, members };
}

/** Field-side rows for SMALL_WBS: survey done (over its estimate), civil in progress, antenna failed, sweep not synced. */
export function smallProjectRelated(tasks: readonly MockRow[]): Record<string, Row[]> {
  const id = (name: string): string => (tasks.find((t) => t.values[T.columns.msdyn_subject] === name) as MockRow).id;
  const project = projectIdOf('A');
  const survey = taskSync(1, id('Site survey'), project, { status: SyncStatus.Synced, field: FieldStatus.Completed, planned: 8, actual: 9, pct: 100, wos: 1, done: 1 });
  const civil = taskSync(2, id('Civil works'), project, { status: SyncStatus.Synced, field: FieldStatus.InProgress, scenario: Scenario.MultipleDaysMultipleResources, planned: 16, actual: 7, pct: 50, wos: 2, done: 1 });
  const antenna = taskSync(3, id('Install antenna'), project, { status: SyncStatus.Failed, planned: 32, error: 'Role Tower Rigger has no work order type: map it on the role' });
  const wos = [
    workOrder(1, id('Site survey'), project, survey[S.primaryIdAttribute] as string, WorkOrderSystemStatus.Completed, 8),
    workOrder(2, id('Civil works'), project, civil[S.primaryIdAttribute] as string, WorkOrderSystemStatus.Completed, 8),
    workOrder(3, id('Civil works'), project, civil[S.primaryIdAttribute] as string, WorkOrderSystemStatus.InProgress, 8),
  ];
  const bookings = [
    booking({ n: 1, workOrderId: guid('workorder', 1), workOrderName: 'WO-00001', technician: 'Ava Chen', status: 'completed', stage: 'Complete', actualEffort: 9 }),
    booking({ n: 2, workOrderId: guid('workorder', 2), workOrderName: 'WO-00002', technician: 'Ben Ortiz', status: 'completed', stage: 'Complete', actualEffort: 7 }),
    booking({ n: 3, workOrderId: guid('workorder', 3), workOrderName: 'WO-00003', technician: 'Cleo Park', status: 'inProgress', stage: 'Onsite' }),
    booking({ n: 4, workOrderId: guid('workorder', 3), workOrderName: 'WO-00003', technician: 'Dan Cancelled', status: 'canceled' }),
  ];
  const roles = roleRows([
    { n: 1, taskId: id('Site survey'), projectId: project, role: 'Site Supervisor' },
    { n: 2, taskId: id('Civil works'), projectId: project, role: 'Civil Crew' },
    { n: 3, taskId: id('Civil works'), projectId: project, role: 'Civil Crew' },
    { n: 4, taskId: id('Install antenna'), projectId: project, role: 'Tower Rigger' },
    { n: 5, taskId: id('Install antenna'), projectId: project, role: 'RF Technician' },
    { n: 6, taskId: id('RF sweep test'), projectId: project, role: 'RF Technician' },
  ]);
  return {
    [S.logicalName]: [survey, civil, antenna],
    [W.logicalName]: wos,
    [B.logicalName]: bookings,
    [BS.logicalName]: bookingStatuses(),
    [A.logicalName]: roles.assignments,
    [TM.logicalName]: roles.members,
  };
}

/** A project progress row (pfb_projectprogress). */
export function projectProgress(projectId: string, v: { pct: number; done: number; total: number; actual: number; estimate: number; start?: string; end?: string; last?: string }): Row {
  return {
    [P.primaryIdAttribute]: guid('progress', 1),
    [P.columns.pfb_name]: 'Site A upgrade',
    [P.lookups.pfb_project.valueProperty]: projectId,
    [P.columns.pfb_percentcomplete]: v.pct,
    [P.columns.pfb_taskscompleted]: v.done,
    [P.columns.pfb_taskstotal]: v.total,
    [P.columns.pfb_actualeffort]: v.actual,
    [P.columns.pfb_estimatedeffort]: v.estimate,
    [P.columns.pfb_effortvariance]: v.actual - v.estimate,
    [P.columns.pfb_actualstart]: v.start ?? null,
    [P.columns.pfb_actualend]: v.end ?? null,
    [P.columns.pfb_lastfieldupdate]: v.last ?? null,
  };
}

/** A generated WBS of `count` tasks: summaries of `perSummary` leaves, in display order (for virtualisation tests). */
export function largeWbs(count: number, perSummary = 24): MockRow[] {
  const specs: TaskSpec[] = [];
  let s = 0;
  while (specs.length < count) {
    const key = `s${s}`;
    specs.push({ key, name: `Phase ${s + 1}`, summary: true, effort: 8 * perSummary });
    for (let i = 0; i < perSummary && specs.length < count; i += 1) specs.push({ key: `${key}-${i}`, name: `Task ${s + 1}.${i + 1}`, parent: key });
    s += 1;
  }
  return taskRows(specs);
}

/**
 * Turns a project outline (a WBS of summary and leaf tasks, each leaf with its days and generic roles) into the
 * rows Project Operations would hold after scheduling: project, default bucket, tasks with dates, effort and
 * roll-ups, generic team members (a role, no bookable resource) and resource assignments. Shared by the telecom
 * and scale seeds.
 *
 * Scheduling: leaves run one after another in WBS order; a leaf may instead give its own start offset, and the
 * next leaf follows it. A leaf runs 08:00 on its first working day to 17:00 on its last, in the site's zone.
 * Effort defaults to 8 h per working day per assigned resource, split evenly over the task's assignments. Summaries take the earliest start, the latest
 * end and the sum of effort of their children. Rows come out parents first, so every lookup points backwards.
 */
import {
  LinkStatus,
  account,
  bookableresourcecategory,
  msdyn_project,
  msdyn_projectbucket,
  msdyn_projectteam,
  msdyn_projecttask,
  msdyn_resourceassignment,
  pricelevel,
  systemuser,
} from '@pfb/domain';
import { ref, row } from './build';
import {
  HOURS_PER_DAY,
  WORKDAY_END_MINUTES,
  WORKDAY_START_MINUTES,
  WORKING_HOURS,
  addWorkingDays,
  dayOf,
  isWorkingDay,
  subtractWorkingDays,
  workingDaysBetween,
  zonedInstant,
  type Day,
} from './calendar';
import { seedId } from './ids';
import type { SeedRecord } from './types';

export interface RoleNeed {
  /** Role (bookable resource category) name; must be a key of ProjectSpec.roleIds. */
  readonly role: string;
  /** How many generic resources of the role work the task. */
  readonly count: number;
}

export interface LeafTaskSpec {
  readonly key: string;
  readonly subject: string;
  readonly description?: string;
  /** Working days, at least 1. */
  readonly days: number;
  /** Generic resources; empty means nobody is assigned. */
  readonly roles: readonly RoleNeed[];
  /** Estimated effort in hours; default days × 8 × the number of resources (× 1 when none). */
  readonly effortHours?: number;
  /** Start as working days after the project start; default: the working day after the previous leaf (in WBS order) ends. */
  readonly startOffset?: number;
  /** Bad data for validation demos: the due date is the working day before the start. */
  readonly endBeforeStart?: boolean;
}

export interface SummaryTaskSpec {
  readonly key: string;
  readonly subject: string;
  readonly children: readonly TaskSpec[];
}

export type TaskSpec = LeafTaskSpec | SummaryTaskSpec;

export interface ProjectSpec {
  /** Id namespace: every row of the project gets a name-based id under it. */
  readonly key: string;
  readonly subject: string;
  readonly description: string;
  readonly customerId: string;
  readonly managerId: string;
  readonly serviceAccountId: string;
  readonly priceListId: string;
  /** IANA zone of the site. */
  readonly timeZone: string;
  /** First working day, `YYYY-MM-DD`. */
  readonly start: string;
  readonly roleIds: Readonly<Record<string, string>>;
  readonly wbs: readonly TaskSpec[];
}

export interface BuiltProject {
  readonly projectId: string;
  readonly records: SeedRecord[];
  /** Task id by spec key. */
  readonly taskIds: ReadonlyMap<string, string>;
}

const isSummary = (t: TaskSpec): t is SummaryTaskSpec => 'children' in t;

interface Scheduled {
  readonly spec: TaskSpec;
  readonly id: string;
  readonly parentId: string | null;
  readonly level: number;
  readonly sequence: number;
  startDay: Day;
  endDay: Day;
  start: string;
  end: string;
  effort: number;
  readonly leaf: boolean;
}

interface Member {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  hours: number;
}

/** Hours to two decimals, as a decimal column stores them. */
const round2 = (n: number): number => Math.round(n * 100) / 100;

export function buildProject(spec: ProjectSpec): BuiltProject {
  const projectStart = dayOf(spec.start);
  if (!isWorkingDay(projectStart)) throw new Error(`Seed project ${spec.key} starts on ${spec.start}, not a working day`);
  const projectId = seedId(`${spec.key}:project`);
  const bucketId = seedId(`${spec.key}:bucket`);
  const zone = spec.timeZone;

  // Pass 1: number and schedule the tasks in WBS order; summaries are finished once their children are.
  const ordered: Scheduled[] = [];
  const taskIds = new Map<string, string>();
  let cursor = projectStart;
  const visit = (t: TaskSpec, parentId: string | null, level: number): Scheduled => {
    if (taskIds.has(t.key)) throw new Error(`Seed project ${spec.key} has two tasks keyed ${t.key}`);
    const id = seedId(`${spec.key}:task:${t.key}`);
    taskIds.set(t.key, id);
    const s: Scheduled = { spec: t, id, parentId, level, sequence: ordered.length + 1, startDay: 0, endDay: 0, start: '', end: '', effort: 0, leaf: !isSummary(t) };
    ordered.push(s);
    if (isSummary(t)) {
      const children = t.children.map((c) => visit(c, id, level + 1));
      if (children.length === 0) throw new Error(`Seed summary task ${t.key} has no children`);
      s.startDay = Math.min(...children.map((c) => c.startDay));
      s.endDay = Math.max(...children.map((c) => c.endDay));
      s.start = children.reduce((m, c) => (c.start < m ? c.start : m), children[0]!.start);
      s.end = children.reduce((m, c) => (c.end > m ? c.end : m), children[0]!.end);
      s.effort = round2(children.reduce((sum, c) => sum + c.effort, 0));
      return s;
    }
    const startDay = t.startOffset === undefined ? cursor : addWorkingDays(projectStart, t.startOffset);
    const endDay = addWorkingDays(startDay, t.days - 1);
    cursor = addWorkingDays(endDay, 1);
    const resources = t.roles.reduce((n, r) => n + r.count, 0);
    s.startDay = startDay;
    s.endDay = t.endBeforeStart ? subtractWorkingDays(startDay, 1) : endDay;
    s.start = zonedInstant(zone, startDay, WORKDAY_START_MINUTES);
    s.end = zonedInstant(zone, s.endDay, WORKDAY_END_MINUTES);
    s.effort = round2(t.effortHours ?? t.days * HOURS_PER_DAY * Math.max(1, resources));
    return s;
  };
  const roots = spec.wbs.map((t) => visit(t, null, 1));
  const leaves = ordered.filter((s) => s.leaf);
  const projectStartIso = roots.reduce((m, r) => (r.start < m ? r.start : m), roots[0]?.start ?? zonedInstant(zone, projectStart, WORKDAY_START_MINUTES));
  const projectEndIso = roots.reduce((m, r) => (r.end > m ? r.end : m), roots[0]?.end ?? projectStartIso);
  const projectEffort = round2(leaves.reduce((sum, l) => sum + l.effort, 0));

  // Pass 2: generic team members, one per role slot (the most any task needs), and the assignments.
  const members = new Map<string, Member>();
  const memberFor = (role: string, slot: number): Member => {
    const k = `${role}#${slot}`;
    let m = members.get(k);
    if (!m) {
      if (!spec.roleIds[role]) throw new Error(`Seed project ${spec.key} uses role ${role} that has no category id`);
      m = { id: seedId(`${spec.key}:member:${k}`), name: `${role} ${slot}`, role, hours: 0 };
      members.set(k, m);
    }
    return m;
  };
  const assignments: SeedRecord[] = [];
  for (const l of leaves) {
    const t = l.spec as LeafTaskSpec;
    const resources = t.roles.reduce((n, r) => n + r.count, 0);
    for (const need of t.roles) {
      for (let slot = 1; slot <= need.count; slot += 1) {
        const m = memberFor(need.role, slot);
        const work = round2(l.effort / resources);
        m.hours += work;
        assignments.push(
          row(msdyn_resourceassignment, seedId(`${spec.key}:assignment:${t.key}:${need.role}#${slot}`), {
            msdyn_name: m.name,
            msdyn_taskid: ref(msdyn_projecttask, l.id),
            msdyn_projectteamid: ref(msdyn_projectteam, m.id),
            msdyn_projectid: ref(msdyn_project, projectId),
            msdyn_bookableresourceid: null,
            msdyn_plannedwork: work,
            msdyn_scheduledstart: l.start,
            msdyn_scheduledend: l.end,
          }),
        );
      }
    }
  }

  const records: SeedRecord[] = [
    row(msdyn_project, projectId, {
      msdyn_subject: spec.subject,
      msdyn_description: spec.description,
      msdyn_customer: ref(account, spec.customerId),
      msdyn_projectmanager: ref(systemuser, spec.managerId),
      msdyn_scheduledstart: projectStartIso,
      msdyn_finish: projectEndIso,
      msdyn_effort: projectEffort,
      msdyn_effortcompleted: 0,
      msdyn_effortremaining: projectEffort,
      msdyn_progress: 0,
      pfb_serviceaccount: ref(account, spec.serviceAccountId),
      pfb_pricelist: ref(pricelevel, spec.priceListId),
      pfb_timezone: zone,
      pfb_workinghours: WORKING_HOURS,
      pfb_fieldenabled: true,
    }),
    // The default bucket msdyn_CreateProjectV1 would have made.
    row(msdyn_projectbucket, bucketId, { msdyn_name: 'Bucket 1', msdyn_project: ref(msdyn_project, projectId) }),
  ];
  for (const m of members.values()) {
    records.push(
      row(msdyn_projectteam, m.id, {
        msdyn_name: m.name,
        msdyn_project: ref(msdyn_project, projectId),
        msdyn_bookableresourceid: null,
        msdyn_resourcecategory: ref(bookableresourcecategory, spec.roleIds[m.role] as string),
        msdyn_start: projectStartIso,
        msdyn_finish: projectEndIso,
        msdyn_hours: round2(m.hours),
      }),
    );
  }
  for (const s of ordered) {
    records.push(
      row(msdyn_projecttask, s.id, {
        msdyn_subject: s.spec.subject,
        msdyn_description: s.leaf ? ((s.spec as LeafTaskSpec).description ?? null) : null,
        msdyn_project: ref(msdyn_project, projectId),
        msdyn_projectbucket: ref(msdyn_projectbucket, bucketId),
        msdyn_parenttask: s.parentId ? ref(msdyn_projecttask, s.parentId) : null,
        msdyn_outlinelevel: s.level,
        msdyn_displaysequence: s.sequence,
        msdyn_summary: !s.leaf,
        msdyn_effort: s.effort,
        msdyn_effortcompleted: 0,
        msdyn_effortremaining: s.effort,
        msdyn_duration: Math.max(0, workingDaysBetween(s.startDay, s.endDay)),
        msdyn_scheduledstart: s.start,
        msdyn_scheduledend: s.end,
        msdyn_start: s.start,
        msdyn_finish: s.end,
        msdyn_progress: 0,
        msdyn_linkstatus: LinkStatus.NotLinked,
      }),
    );
  }
  records.push(...assignments);
  return { projectId, records, taskIds };
}

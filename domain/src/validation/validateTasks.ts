/**
 * Validation before sync (DESIGN §4), shared by the Ready to Sync ribbon command and the bridge: every check a task
 * must pass before it becomes work orders. Each rule is a small function that returns its findings; all of a task's
 * findings are collected, so a coordinator fixes everything in one go, and a task with errors never holds back the
 * rest of the selection.
 */
import { IANAZone } from 'luxon';
import { SyncStatus } from '../schema';
import { parseWorkingHours, type WorkingHours } from '../planning/workingHours';
import { VALIDATION_CODES, VALIDATION_CODE_INFO, VALIDATION_LIMITS, type ValidationCode } from './codes';
import { render } from './messages';
import { siteDates, type LocalInstant, type SiteDates } from './siteDates';
import type {
  ValidationAssignment,
  ValidationContext,
  ValidationIssue,
  ValidationLookup,
  ValidationProject,
  ValidationRole,
  ValidationTask,
  ValidationResult,
} from './types';

interface Finding {
  readonly code: ValidationCode;
  readonly params: Readonly<Record<string, string | number>>;
}

/** What the rules need to know about a project, worked out once per project, not once per task. */
interface ProjectFacts {
  readonly project: ValidationProject;
  /** The site's zone when it is a valid IANA zone. */
  readonly zone: string | null;
  /** The site's calendar; UTC's when the zone is missing or invalid (the dates can still be read and compared). */
  readonly dates: SiteDates;
  readonly hours: WorkingHours | null;
  /** Why the working-hours template can't be read, when it can't. */
  readonly hoursProblem: string | null;
}

interface TaskFacts {
  readonly task: ValidationTask;
  readonly project: ProjectFacts | null;
  readonly start: LocalInstant | null;
  readonly end: LocalInstant | null;
  readonly roles: ReadonlyMap<string, ValidationRole>;
  readonly now: number;
}

type Rule = (t: TaskFacts) => readonly Finding[];

const NONE: readonly Finding[] = [];
const one = (code: ValidationCode, params: Finding['params'] = {}): readonly Finding[] => [{ code, params }];

const blank = (s: string | null | undefined): boolean => s === null || s === undefined || s.trim() === '';
const isGeneric = (a: ValidationAssignment): boolean => blank(a.bookableResourceId);
const key = (id: string): string => id.toLowerCase();

// ---- the task itself ---------------------------------------------------------------------------------------------

/** A pfb_tasksync row the bridge is working on: marking it again would race the running sync. */
const alreadySyncing: Rule = ({ task }) => (task.syncStatus === SyncStatus.Syncing ? one('alreadySyncing') : NONE);

/**
 * Project Operations stores an unestimated task as 0 h, so 0 reads as "no estimate", not as a bad number; so does
 * anything that rounds to 0.00 h (msdyn_effort has two decimals, and the planner plans in hundredths of an hour).
 */
const effort: Rule = ({ task }) => {
  const h = task.effortHours;
  if (h === null || Math.round(h * 100) === 0) return one('missingEffort');
  return h > 0 ? NONE : one('effortNotPositive', { effort: h });
};

const startDate: Rule = ({ task, start }) => {
  if (blank(task.start)) return one('missingStart');
  return start ? NONE : one('invalidStart', { value: task.start as string });
};

const endDate: Rule = ({ task, end }) => {
  if (blank(task.end)) return one('missingEnd');
  return end ? NONE : one('invalidEnd', { value: task.end as string });
};

const rangeParams = { earliest: VALIDATION_LIMITS.firstDate, latest: VALIDATION_LIMITS.lastDate };

/** Project for the web's task date range 1/1/2000–12/31/2149, on the site's calendar (four-digit dates compare as text). */
const outOfRange = (i: LocalInstant): boolean => i.date < VALIDATION_LIMITS.firstDate || i.date > VALIDATION_LIMITS.lastDate;

const dateRange: Rule = ({ start, end }) => [
  ...(start && outOfRange(start) ? one('startOutOfRange', { start: start.date, ...rangeParams }) : NONE),
  ...(end && outOfRange(end) ? one('endOutOfRange', { end: end.date, ...rangeParams }) : NONE),
];

const endBeforeStart: Rule = ({ start, end }) =>
  start && end && end.ms < start.ms ? one('endBeforeStart', { start: start.dateTime, end: end.dateTime }) : NONE;

// ---- working time (site zone and working-hours template) --------------------------------------------------------

/** Both dates readable and in order, in a project with a valid zone: otherwise a rule above reports. */
function onSite(t: TaskFacts): { start: LocalInstant; end: LocalInstant; dates: SiteDates; project: ProjectFacts } | null {
  const { start, end, project } = t;
  if (!start || !end || end.ms < start.ms || !project?.zone) return null;
  return { start, end, dates: project.dates, project };
}

const taskLength: Rule = (t) => {
  const s = onSite(t);
  const days = s ? s.dates.spanDays(s.start, s.end) : 0;
  return days > VALIDATION_LIMITS.maxLeafTaskDays ? one('taskTooLong', { days, limit: VALIDATION_LIMITS.maxLeafTaskDays }) : NONE;
};

const workingTime: Rule = (t) => {
  const s = onSite(t);
  const hours = s?.project.hours;
  if (!s || !hours || s.dates.hasWorkingTime(s.start, s.end, hours)) return NONE;
  const { project } = s.project;
  return one('noWorkingTime', {
    start: s.start.dateTime,
    end: s.end.dateTime,
    projectId: project.id,
    projectName: project.name,
    workingHours: (project.workingHours ?? '').trim(),
    timeZone: s.dates.zoneName,
  });
};

const inPast: Rule = ({ end, now }) => (end && end.ms < now ? one('taskInPast', { end: end.date }) : NONE);

// ---- resources and roles -----------------------------------------------------------------------------------------

/** How messages name a team member: its name, else its role, else (never expected) its id. */
function memberName(a: ValidationAssignment): string {
  if (!blank(a.teamMemberName)) return a.teamMemberName as string;
  return blank(a.roleName) ? a.teamMemberId : (a.roleName as string);
}

/** Field work is planned from generic team members: a role, no bookable resource (dataverse-facts §1.5). */
const genericResource: Rule = ({ task }) => (task.assignments.some(isGeneric) ? NONE : one('noGenericResource'));

const assignmentRoles: Rule = ({ task }) =>
  task.assignments
    .filter((a) => isGeneric(a) && blank(a.roleId))
    .map((a) => ({ code: 'assignmentWithoutRole', params: { teamMemberId: a.teamMemberId, teamMemberName: memberName(a) } }));

const namedAssignments: Rule = ({ task }) =>
  task.assignments
    .filter((a) => !isGeneric(a))
    .map((a) => ({ code: 'namedAssignment', params: { teamMemberId: a.teamMemberId, teamMemberName: memberName(a) } }));

const resourceCount: Rule = ({ task }) =>
  task.assignments.length > VALIDATION_LIMITS.maxResourcesPerTask
    ? one('tooManyResources', { count: task.assignments.length, limit: VALIDATION_LIMITS.maxResourcesPerTask })
    : NONE;

/** Each role of the task's generic resources once, in the order first assigned, checked for its Field Service mapping. */
const roleMappings: Rule = ({ task, roles }) => {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const a of task.assignments) {
    if (!isGeneric(a) || blank(a.roleId)) continue;
    const id = a.roleId as string;
    if (seen.has(key(id))) continue;
    seen.add(key(id));
    const role = roles.get(key(id));
    if (!role) {
      findings.push({ code: 'roleNotFound', params: { roleId: id, roleName: blank(a.roleName) ? id : (a.roleName as string) } });
      continue;
    }
    const params = { roleId: role.id, roleName: role.name };
    if (blank(role.workOrderTypeId)) findings.push({ code: 'roleWithoutWorkOrderType', params });
    if (blank(role.characteristicId)) findings.push({ code: 'roleWithoutCharacteristic', params });
  }
  return findings;
};

// ---- the project -------------------------------------------------------------------------------------------------

const projectRule =
  (check: (p: ProjectFacts) => readonly Finding[]): Rule =>
  ({ project }) =>
    project
      ? check(project).map((f) => ({ code: f.code, params: { projectId: project.project.id, projectName: project.project.name, ...f.params } }))
      : NONE;

const projectExists: Rule = ({ task, project }) => (project ? NONE : one('projectNotFound', { projectId: task.projectId }));
const projectFieldEnabled = projectRule(({ project }) => (project.fieldEnabled ? NONE : one('projectNotFieldEnabled')));
const projectServiceAccount = projectRule(({ project }) => (blank(project.serviceAccountId) ? one('projectWithoutServiceAccount') : NONE));
const projectPriceList = projectRule(({ project }) => (blank(project.priceListId) ? one('projectWithoutPriceList') : NONE));

const projectTimeZone = projectRule(({ project, zone }) => {
  if (blank(project.timeZone)) return one('projectWithoutTimeZone');
  return zone ? NONE : one('projectInvalidTimeZone', { timeZone: project.timeZone as string });
});

const projectWorkingHours = projectRule(({ project, hoursProblem }) => {
  if (blank(project.workingHours)) return one('projectWithoutWorkingHours');
  // The parser's problems are sentences; the message supplies its own ending.
  return hoursProblem ? one('projectInvalidWorkingHours', { workingHours: project.workingHours as string, problem: hoursProblem.replace(/\.$/, '') }) : NONE;
});

const projectTaskCount = projectRule(({ project }) =>
  project.taskCount !== undefined && project.taskCount > VALIDATION_LIMITS.maxTasksPerProject
    ? one('projectTooManyTasks', { count: project.taskCount, limit: VALIDATION_LIMITS.maxTasksPerProject })
    : NONE,
);

/** Every rule runs on every leaf task; a rule whose premise another rule refutes (e.g. no dates) stays silent. */
const RULES: readonly Rule[] = [
  alreadySyncing,
  effort,
  startDate,
  endDate,
  dateRange,
  endBeforeStart,
  taskLength,
  workingTime,
  inPast,
  genericResource,
  assignmentRoles,
  namedAssignments,
  resourceCount,
  roleMappings,
  projectExists,
  projectFieldEnabled,
  projectServiceAccount,
  projectPriceList,
  projectTimeZone,
  projectWorkingHours,
  projectTaskCount,
];

// ---- putting it together -----------------------------------------------------------------------------------------

/** A task's issues come in VALIDATION_CODES order (the task, its dates, resources, roles, project); ties keep assignment order. */
const CODE_ORDER = Object.fromEntries(VALIDATION_CODES.map((c, i) => [c, i])) as Record<ValidationCode, number>;

function index<T>(rows: ValidationLookup<T>): Map<string, T> {
  const entries: Iterable<[string, T]> = rows instanceof Map ? rows.entries() : Object.entries(rows as Readonly<Record<string, T>>);
  const out = new Map<string, T>();
  for (const [id, row] of entries) out.set(key(id), row);
  return out;
}

function projectFacts(project: ValidationProject, utc: SiteDates): ProjectFacts {
  const zone = !blank(project.timeZone) && IANAZone.isValidZone((project.timeZone as string).trim()) ? (project.timeZone as string).trim() : null;
  const parsed = blank(project.workingHours) ? null : parseWorkingHours(project.workingHours as string);
  return {
    project,
    zone,
    dates: zone ? siteDates(zone) : utc,
    hours: parsed?.ok ? parsed.value : null,
    hoursProblem: parsed && !parsed.ok ? parsed.problem : null,
  };
}

const instant = (iso: string | null, dates: SiteDates): LocalInstant | null => (blank(iso) ? null : dates.read(iso as string));

function toIssue(task: ValidationTask, f: Finding): ValidationIssue {
  const params = { taskName: task.name, ...f.params };
  const { message, fix } = render(f.code, params);
  const info = VALIDATION_CODE_INFO[f.code];
  return { taskId: task.id, taskName: task.name, code: f.code, field: info.field, severity: info.severity, message, fix, params };
}

function issuesOf(task: ValidationTask, project: ProjectFacts | null, utc: SiteDates, roles: ReadonlyMap<string, ValidationRole>, now: number): ValidationIssue[] {
  // A summary task's effort and dates are its children's (create-wbs.md): any other advice about it would be wrong.
  if (task.isSummary) return [toIssue(task, { code: 'summaryTask', params: {} })];
  const dates = project?.dates ?? utc;
  const facts: TaskFacts = { task, project, start: instant(task.start, dates), end: instant(task.end, dates), roles, now };
  return RULES.flatMap((rule) => rule(facts))
    .sort((a, b) => CODE_ORDER[a.code] - CODE_ORDER[b.code])
    .map((f) => toIssue(task, f));
}

/**
 * Validates a selection of tasks. Never throws for bad data: every task comes back exactly once, in `valid` (no
 * errors; warnings allowed) or `invalid` (with all its issues), in input order. `issues` lists them task by task in
 * input order, each task's in VALIDATION_CODES order.
 */
export function validateTasks(tasks: readonly ValidationTask[], context: ValidationContext): ValidationResult {
  const projects = index(context.projects);
  const roles = index(context.roles);
  const now = (context.now ?? new Date()).getTime();
  const utc = siteDates('UTC');
  const factsByProject = new Map<string, ProjectFacts | null>();
  const result: ValidationResult = { valid: [], invalid: [], issues: [] };
  for (const task of tasks) {
    const projectKey = key(task.projectId);
    let facts = factsByProject.get(projectKey);
    if (facts === undefined) {
      const project = projects.get(projectKey);
      facts = project ? projectFacts(project, utc) : null;
      factsByProject.set(projectKey, facts);
    }
    const issues = issuesOf(task, facts, utc, roles, now);
    result.issues.push(...issues);
    if (issues.some((i) => i.severity === 'error')) result.invalid.push({ task, issues });
    else result.valid.push(task);
  }
  return result;
}

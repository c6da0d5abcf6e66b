/**
 * The enable rules behind the ribbon's CustomRule elements. Each resolves to a boolean well within the platform's
 * 10 s (RULE_DEADLINE_MS) and costs at most one request per selection (StateCache) or per page (privileges):
 *
 * - canRequestSync: the user holds Create and Write on pfb_tasksync (the upsert creates or updates). Read from
 *   `userSettings.getSecurityRolePrivilegesInfo()` (privilege names per role, usersettings.md). The ribbon also hides
 *   the buttons with a declarative EntityPrivilegeRule; this rule is the one that holds for the programmatic entry too.
 * - the state rules: the selection holds at least one task the command applies to (readyToSync/syncStates.ts).
 *
 * A rule that cannot tell in time answers true: the command then reads for itself and explains what it does not do.
 */
import { ID_CHUNK, chunk, msdyn_projecttask, pfb_tasksync, privilegeName } from '../names';
import { normalizeId, normalizeIds } from '../platform/ids';
import { retrieveAll, type WebApiPort } from '../platform/ports';
import { cancelApplies, projectSyncApplies, readyToSyncApplies } from '../readyToSync/syncStates';
import { projectLeafTaskStatusOptions, syncRowsOfTasksOptions } from '../readyToSync/taskQuery';
import { statusesByTask, statusesOfTaskRows } from '../readyToSync/taskRows';
import { RULE_DEADLINE_MS, withDeadline } from './deadline';
import { StateCache } from './stateCache';

/** Privilege names the current user holds (any depth), or null when the client cannot say. */
export type PrivilegeSource = () => PromiseLike<ReadonlySet<string> | null>;

export interface RulePorts {
  readonly webApi: WebApiPort;
  readonly privileges: PrivilegeSource;
  readonly deadlineMs?: number;
  /** How long a selection's statuses are reused (the bridge moves rows on its own). */
  readonly ttlMs?: number;
  /** The same for a form's record (default 0: a read is shared only by the evaluations made while it runs). */
  readonly formTtlMs?: number;
  readonly clock?: () => number;
}

/**
 * A grid evaluates every button's rules on each selection change: 5 s shares one read among them and across quick
 * re-selections, and is short enough that a row the bridge moved shows within a few seconds. A form evaluates on
 * load and on refreshRibbon, when it wants the current state: its buttons share the read under way, nothing older.
 */
export const SELECTION_TTL_MS = 5000;
export const FORM_TTL_MS = 0;

export const REQUIRED_PRIVILEGES = [privilegeName('Create', pfb_tasksync), privilegeName('Write', pfb_tasksync)] as const;

export interface EnableRules {
  canRequestSync(): Promise<boolean>;
  canMarkTasks(taskIds: readonly unknown[]): Promise<boolean>;
  canCancelTasks(taskIds: readonly unknown[]): Promise<boolean>;
  /** The same for the one record of a form. */
  canMarkFormTask(taskId: unknown): Promise<boolean>;
  canCancelFormTask(taskId: unknown): Promise<boolean>;
  canSyncProject(projectId: unknown): Promise<boolean>;
  /** After a command wrote: task id → the status it set. */
  remember(written: ReadonlyMap<string, number>): void;
  forget(): void;
}

export function createEnableRules(ports: RulePorts): EnableRules {
  const deadline = ports.deadlineMs ?? RULE_DEADLINE_MS;
  let privileges: Promise<boolean> | undefined;

  const readStatuses = async (ids: readonly string[]): Promise<Map<string, number | null>> => {
    const rows = (await Promise.all(chunk(ids, ID_CHUNK).map((part) => retrieveAll(ports.webApi, pfb_tasksync.logicalName, syncRowsOfTasksOptions(part))))).flat();
    const found = statusesByTask(rows);
    return new Map(ids.map((id) => [id, found.get(id) ?? null]));
  };
  const tasks = new StateCache(readStatuses, ports.ttlMs ?? SELECTION_TTL_MS, ports.clock);
  const forms = new StateCache(readStatuses, ports.formTtlMs ?? FORM_TTL_MS, ports.clock);
  // Keyed by the project id alone: its leaf tasks and their statuses.
  const projects = new StateCache(
    async ([projectId]) => statusesOfTaskRows(await retrieveAll(ports.webApi, msdyn_projecttask.logicalName, projectLeafTaskStatusOptions(projectId as string))),
    ports.ttlMs ?? SELECTION_TTL_MS,
    ports.clock,
  );

  const anyApplies = async (cache: StateCache, ids: readonly string[], applies: (status: number | null) => boolean): Promise<boolean> => {
    if (ids.length === 0) return false;
    const statuses = await cache.statuses(ids);
    for (const status of statuses.values()) if (applies(status)) return true;
    return false;
  };

  return {
    canRequestSync() {
      privileges ??= Promise.resolve(ports.privileges()).then((held) => {
        if (!held) return true;
        const lower = new Set([...held].map((p) => p.toLowerCase()));
        return REQUIRED_PRIVILEGES.every((p) => lower.has(p.toLowerCase()));
      });
      return withDeadline(privileges, deadline, true);
    },
    canMarkTasks(taskIds) {
      return withDeadline(anyApplies(tasks, normalizeIds(taskIds).ids, readyToSyncApplies), deadline, true);
    },
    canCancelTasks(taskIds) {
      return withDeadline(anyApplies(tasks, normalizeIds(taskIds).ids, cancelApplies), deadline, true);
    },
    canMarkFormTask(taskId) {
      const id = normalizeId(taskId);
      return id ? withDeadline(anyApplies(forms, [id], readyToSyncApplies), deadline, true) : Promise.resolve(false);
    },
    canCancelFormTask(taskId) {
      const id = normalizeId(taskId);
      return id ? withDeadline(anyApplies(forms, [id], cancelApplies), deadline, true) : Promise.resolve(false);
    },
    canSyncProject(projectId) {
      const id = normalizeId(projectId);
      if (!id) return Promise.resolve(false);
      return withDeadline(
        projects.statuses([id]).then((statuses) => [...statuses.values()].some(projectSyncApplies)),
        deadline,
        true,
      );
    },
    remember(written) {
      tasks.remember(written);
      forms.remember(written);
      projects.remember(written);
    },
    forget() {
      tasks.forget();
      forms.forget();
      projects.forget();
    },
  };
}

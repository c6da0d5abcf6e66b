/**
 * Test support for task sync against a real local Dataverse: marking tasks Ready to Sync through the Web API (as the
 * ribbon does), and the expected plan of a task read straight from the store — independently of the bridge's own
 * Web API reading — so the tests compare the bridge with the planner, not with itself.
 */
import type { AccessToken, TokenCredential } from '@azure/identity';
import {
  SyncStatus,
  parseWorkingHours,
  pfb_tasksync,
  planWorkOrders,
  type Plan,
  type PlanningPolicy,
  type RoleDemand,
} from '@pfb/domain';
import type { Attributes, EntityReference, RunningDataverse } from '@pfb/sandbox';
import { DataverseClient } from '../dataverse/dataverseClient';
import type { RetryOptions } from '../dataverse/retryPolicy';
import { TASK_SYNC, bind, primaryKey } from './names';

export const credential: TokenCredential = { getToken: (): Promise<AccessToken> => Promise.resolve({ token: 'local', expiresOnTimestamp: Date.now() + 3600_000 }) };

export function clientFor(dv: RunningDataverse, retry?: RetryOptions): DataverseClient {
  return new DataverseClient({ serviceRoot: dv.url, credential, retry });
}

const refId = (v: unknown): string | undefined => (v && typeof v === 'object' ? (v as EntityReference).id : undefined);

export function leafTaskIds(dv: RunningDataverse): string[] {
  return dv.dataverse.store
    .select('msdyn_projecttask', '', [], 'ORDER BY t0."msdyn_displaysequence", t0."msdyn_projecttaskid"')
    .filter((t) => t['msdyn_summary'] !== true)
    .map((t) => t['msdyn_projecttaskid'] as string);
}

export function summaryTaskIds(dv: RunningDataverse): string[] {
  return dv.dataverse.store
    .select('msdyn_projecttask', '', [], 'ORDER BY t0."msdyn_projecttaskid"')
    .filter((t) => t['msdyn_summary'] === true)
    .map((t) => t['msdyn_projecttaskid'] as string);
}

export function taskIdByName(dv: RunningDataverse, projectId: string, subject: string): string {
  const task = dv.dataverse.store.select('msdyn_projecttask', 't0."msdyn_project" = ? AND t0."msdyn_subject" = ?', [projectId, subject])[0];
  if (!task) throw new Error(`no task '${subject}' in project ${projectId}`);
  return task['msdyn_projecttaskid'] as string;
}

/** One pfb_tasksync row per task, Ready to Sync, created in one CreateMultiple (the ribbon's way). Task id → row id. */
export async function markReadyToSync(client: DataverseClient, dv: RunningDataverse, taskIds: readonly string[]): Promise<Map<string, string>> {
  const targets = taskIds.map((taskId) => {
    const task = dv.dataverse.store.get('msdyn_projecttask', taskId) as Attributes;
    return {
      [TASK_SYNC.pfb_name.logicalName]: String(task['msdyn_subject']),
      ...bind(TASK_SYNC.pfb_projecttask, taskId),
      ...bind(TASK_SYNC.pfb_project, refId(task['msdyn_project']) as string),
      [TASK_SYNC.pfb_syncstatus.logicalName]: SyncStatus.ReadyToSync,
      [TASK_SYNC.pfb_requestedon.logicalName]: new Date().toISOString(),
    };
  });
  const result = (await client.bulk(pfb_tasksync.entitySetName, 'CreateMultiple', pfb_tasksync.logicalName, targets)) as { Ids: string[] };
  return new Map(taskIds.map((t, i) => [t, (result.Ids[i] as string).toLowerCase()]));
}

/** Sets rows' status as the ribbon (Ready to Sync again) or a coordinator (Cancelled) would. */
export async function setSyncStatus(client: DataverseClient, rowIds: readonly string[], status: number): Promise<void> {
  await client.bulk(
    pfb_tasksync.entitySetName,
    'UpdateMultiple',
    pfb_tasksync.logicalName,
    rowIds.map((id) => ({ [primaryKey(pfb_tasksync).logicalName]: id, [TASK_SYNC.pfb_syncstatus.logicalName]: status })),
  );
}

/** The plan the planner makes for a task, from the store's rows. */
export function expectedPlan(dv: RunningDataverse, taskId: string, policy: PlanningPolicy = 'perDay'): Plan {
  const store = dv.dataverse.store;
  const task = store.get('msdyn_projecttask', taskId) as Attributes;
  const project = store.get('msdyn_project', refId(task['msdyn_project']) as string) as Attributes;
  const roles = new Map<string, RoleDemand>();
  for (const a of store.select('msdyn_resourceassignment', 't0."msdyn_taskid" = ?', [taskId])) {
    const member = store.get('msdyn_projectteam', refId(a['msdyn_projectteamid']) as string) as Attributes;
    const roleId = refId(member['msdyn_resourcecategory']);
    if (!roleId || refId(member['msdyn_bookableresourceid'])) continue;
    const role = store.get('bookableresourcecategory', roleId) as Attributes;
    roles.set(roleId, { roleId, roleName: String(role['name']), count: (roles.get(roleId)?.count ?? 0) + 1 });
  }
  const hours = parseWorkingHours(String(project['pfb_workinghours']));
  if (!hours.ok) throw new Error(hours.problem);
  return planWorkOrders({
    taskId: taskId.toLowerCase(),
    taskName: String(task['msdyn_subject']),
    start: String(task['msdyn_scheduledstart']),
    end: String(task['msdyn_scheduledend']),
    effortHours: task['msdyn_effort'] as number,
    resources: [...roles.values()],
    timeZone: String(project['pfb_timezone']),
    workingHours: hours.value,
    policy,
  });
}

export function workOrdersOfTask(dv: RunningDataverse, taskId: string): Attributes[] {
  return dv.dataverse.store.select('msdyn_workorder', 't0."pfb_projecttask" = ?', [taskId], 'ORDER BY t0."pfb_slotindex"');
}

export function requirementsOf(dv: RunningDataverse, workOrderId: string): Attributes[] {
  return dv.dataverse.store.select('msdyn_resourcerequirement', 't0."msdyn_workorder" = ?', [workOrderId]);
}

export const refOf = refId;

export const sameInstant = (a: unknown, b: string): boolean => typeof a === 'string' && Date.parse(a) === Date.parse(b);

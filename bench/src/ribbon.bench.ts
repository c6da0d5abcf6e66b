/**
 * Ready to Sync for 250 selected tasks (DESIGN §7 "marking 250 tasks Ready to Sync uses ≤ 3 HTTP requests"): the
 * command's own flow (webresources/src/readyToSync) through the sandbox's Xrm.WebApi over HTTP, against the local
 * Dataverse with its real service protection limits, on the `scale:250` program (250 leaf tasks with generic
 * resources in one project). Requests are counted as Dataverse counts them for the user (a `$batch` is one), and
 * checked against what went over the wire.
 *
 * The baseline is measured on a fresh copy of the same program: the naive command reads each task with its
 * assignments, team members, roles and project (one GET per task, the same data) and writes each row with its own
 * upsert by alternate key (one PATCH per task).
 */
import { SyncStatus, msdyn_projecttask, pfb_tasksync } from '@pfb/domain';
import { REAL_LIMITS, SANDBOX_USER_ID, startDataverse, type RunningDataverse } from '@pfb/sandbox';
import { createWebApi, type FetchLike, type SandboxWebApi } from '../../sandbox/xrm/src';
import { createStrings, runReadyToSync, type CommandPorts, type WebApiPort } from '../../webresources/src';
import { tasksByIdOptions } from '../../webresources/src/readyToSync/taskQuery';
import { readyToSyncTargets } from '../../webresources/src/readyToSync/writeRequests';
import { toTaskRecord } from '../../webresources/src/readyToSync/taskRows';
import type { Results } from './results';

const TASKS = 250;
const AUTH = { Authorization: 'Bearer coordinator' };

async function leafTaskIds(dv: RunningDataverse): Promise<string[]> {
  const res = await fetch(`${dv.url}/${msdyn_projecttask.entitySetName}?$select=msdyn_projecttaskid&$filter=msdyn_summary eq false&$orderby=msdyn_displaysequence`, { headers: { ...AUTH, Accept: 'application/json' } });
  return ((await res.json()) as { value: { msdyn_projecttaskid: string }[] }).value.map((t) => t.msdyn_projecttaskid);
}

function counting(): { fetch: FetchLike; sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    fetch: (url, init) => {
      sent.push(`${init.method} ${url.replace(/^.*\/api\/data\/v9\.2\//, '').replace(/\?.*$/, '')}`);
      return fetch(url, init);
    },
  };
}

/** The command's Web API port over the sandbox's Xrm.WebApi, as the ribbon builds it over the app's. */
function webApiPort(webApi: SandboxWebApi): WebApiPort {
  return {
    retrieveMultipleRecords: (entity, options) => webApi.retrieveMultipleRecords(entity, options) as unknown as PromiseLike<{ entities: Record<string, unknown>[]; nextLink?: string }>,
    executeMultiple: (requests) => webApi.online.executeMultiple(requests as unknown[]) as unknown as PromiseLike<{ ok: boolean; status: number }[]>,
  };
}

function ports(webApi: WebApiPort): CommandPorts {
  return {
    webApi,
    dialogs: { alert: async () => undefined, confirm: async () => true },
    progress: { show: () => undefined, close: () => undefined },
    notifications: { notify: () => undefined },
    user: { id: SANDBOX_USER_ID, lcid: 1033 },
    strings: createStrings(1033),
    now: () => new Date(),
  };
}

/** The command as shipped: returns Dataverse's count, the wire count and the seconds. */
async function measureCommand(): Promise<{ counted: number; sent: string[]; seconds: number }> {
  const dv = await startDataverse({ seed: `scale:${TASKS}`, limits: REAL_LIMITS });
  try {
    const ids = await leafTaskIds(dv);
    if (ids.length !== TASKS) throw new Error(`scale:${TASKS} has ${ids.length} leaf tasks`);
    const http = counting();
    const webApi = await createWebApi({ serviceRoot: dv.url, fetch: http.fetch, headers: AUTH });
    http.sent.splice(0);
    const before = dv.server.stats.byUser.get(SANDBOX_USER_ID) ?? 0;
    const t0 = performance.now();
    const outcome = await runReadyToSync(ports(webApiPort(webApi)), { taskIds: ids.map((id) => `{${id.toUpperCase()}}`) });
    const seconds = (performance.now() - t0) / 1000;
    if (outcome.status !== 'completed' || outcome.queued.length !== TASKS) throw new Error(`the command queued ${outcome.queued.length} of ${TASKS} (${outcome.status}): ${outcome.failed[0]?.reason ?? ''}`);
    const rows = await webApi.retrieveMultipleRecords(pfb_tasksync.logicalName, `?$select=pfb_syncstatus&$filter=pfb_syncstatus eq ${SyncStatus.ReadyToSync}`);
    if (rows.entities.length !== TASKS) throw new Error(`${rows.entities.length} rows are Ready to Sync, not ${TASKS}`);
    // The check above is one more request: count up to the command's end only.
    return { counted: (dv.server.stats.byUser.get(SANDBOX_USER_ID) ?? 0) - before - 1, sent: http.sent.slice(0, -1), seconds };
  } finally {
    await dv.close();
  }
}

/** One GET per task (the same task, project, assignment, team member and role data), one upsert per task. */
async function measureNaive(sample: number): Promise<{ perTask: number; seconds: number }> {
  const dv = await startDataverse({ seed: `scale:${TASKS}`, limits: REAL_LIMITS });
  try {
    const ids = (await leafTaskIds(dv)).slice(0, sample);
    const webApi = await createWebApi({ serviceRoot: dv.url, headers: AUTH });
    const before = dv.server.stats.byUser.get(SANDBOX_USER_ID) ?? 0;
    const t0 = performance.now();
    for (const id of ids) {
      const [row] = (await webApi.retrieveMultipleRecords(msdyn_projecttask.logicalName, tasksByIdOptions([id]))).entities;
      const record = row ? toTaskRecord(row) : null;
      if (!record) throw new Error(`task ${id} not read`);
      const [target] = readyToSyncTargets([record], { userId: SANDBOX_USER_ID, requestedOn: new Date() });
      const { ['@odata.type']: _type, ['@odata.id']: address, ...body } = target as Record<string, unknown>;
      const res = await fetch(`${dv.url}/${String(address)}`, { method: 'PATCH', headers: { ...AUTH, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      if (res.status !== 204) throw new Error(`naive upsert of ${id}: HTTP ${res.status} ${await res.text()}`);
    }
    const seconds = (performance.now() - t0) / 1000;
    return { perTask: ((dv.server.stats.byUser.get(SANDBOX_USER_ID) ?? 0) - before) / ids.length, seconds: (seconds / ids.length) * TASKS };
  } finally {
    await dv.close();
  }
}

export async function benchRibbon(quick: boolean): Promise<Results> {
  const command = await measureCommand();
  if (command.counted !== command.sent.length) throw new Error(`Dataverse counted ${command.counted} requests, ${command.sent.length} went over the wire`);
  const naive = await measureNaive(quick ? 50 : TASKS);
  return {
    'ribbon.requestsFor250Tasks': {
      value: command.counted,
      unit: 'requests',
      baseline: Math.round(naive.perTask * TASKS),
      notes:
        `Ready to Sync for ${TASKS} selected tasks (scale:${TASKS}), real service protection limits: ${command.sent.join(', ')} ` +
        `(tasks with assignments, team members, roles, project and sync row in one GET; one $batch change set with one UpsertMultiple by the pfb_projecttask key) in ${command.seconds.toFixed(2)} s. ` +
        `Baseline measured${quick ? ' on 50 tasks' : ''}: one GET and one upsert per task, ${naive.seconds.toFixed(1)} s for ${TASKS}. The grid's own refresh afterwards is one more request (browser test: 3 in all).`,
    },
  };
}

/**
 * A stand-in for the ribbon web resource pfb_/scripts/commands.js (issue 6) in the grid's browser tests: it registers
 * only the public entry point the grid calls, `ProjectFieldBridge.ReadyToSync.run(taskIds, { projectId })`, and
 * writes one pfb_tasksync row per task (Ready to Sync) through the Web API, as the command does after its
 * validation and dialog. The real command needs the model-driven app's Xrm (dialogs, notifications, executeMultiple);
 * the sandbox's app shell (issue 9) runs it for real. Calls are recorded in `window.__readyToSyncCalls`.
 */
import type http from 'node:http';
import { msdyn_project, msdyn_projecttask, pfb_tasksync, SyncStatus } from '@pfb/domain';

export const COMMANDS_PATH = '/WebResources/pfb_/scripts/commands.js';

export function readyToSyncStandIn(): string {
  const S = pfb_tasksync.columns;
  const names = {
    taskSet: msdyn_projecttask.entitySetName,
    taskName: msdyn_projecttask.columns.msdyn_subject.logicalName,
    taskSyncSet: pfb_tasksync.entitySetName,
    projectSet: msdyn_project.entitySetName,
    name: S.pfb_name.logicalName,
    task: S.pfb_projecttask.logicalName,
    project: S.pfb_project.logicalName,
    status: S.pfb_syncstatus.logicalName,
    ready: SyncStatus.ReadyToSync,
  };
  return `(function () {
  var N = ${JSON.stringify(names)};
  var api = '/api/data/v9.2/';
  var headers = { Accept: 'application/json', 'Content-Type': 'application/json', 'OData-Version': '4.0', 'OData-MaxVersion': '4.0' };
  window.__readyToSyncCalls = window.__readyToSyncCalls || [];
  var root = (window.ProjectFieldBridge = window.ProjectFieldBridge || {});
  root.ReadyToSync = {
    run: async function (taskIds, options) {
      window.__readyToSyncCalls.push({ taskIds: taskIds.slice(), options: options || null });
      var queued = [];
      for (var i = 0; i < taskIds.length; i++) {
        var id = taskIds[i];
        var task = await (await fetch(api + N.taskSet + '(' + id + ')?$select=' + N.taskName, { headers: headers })).json();
        var body = {};
        body[N.name] = task[N.taskName];
        body[N.task + '@odata.bind'] = '/' + N.taskSet + '(' + id + ')';
        if (options && options.projectId) body[N.project + '@odata.bind'] = '/' + N.projectSet + '(' + options.projectId + ')';
        body[N.status] = N.ready;
        var res = await fetch(api + N.taskSyncSet, { method: 'POST', headers: headers, body: JSON.stringify(body) });
        if (!res.ok) throw new Error((await res.json()).error.message);
        queued.push({ taskId: id, taskName: task[N.taskName] });
      }
      // The command's outcome shape (webresources/src/readyToSync/outcome.ts).
      return { status: 'completed', queued: queued, skipped: [], failed: [], warnings: [] };
    },
  };
})();
`;
}

export function readyToSyncStandInRoute(): Record<string, http.RequestListener> {
  const body = readyToSyncStandIn();
  return {
    [COMMANDS_PATH]: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      res.end(body);
    },
  };
}

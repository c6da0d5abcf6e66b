/**
 * Bundle entry of the web resource pfb_/scripts/commands.js: registers the global namespace the ribbon and the PCF
 * grid call — `ProjectFieldBridge.Commands.*` (ribbon FunctionName values), `ProjectFieldBridge.ReadyToSync.run` and
 * `ProjectFieldBridge.CancelFieldWork.run` (the programmatic entries). Loaded several times (form and grid ribbons
 * load it separately) it keeps one namespace.
 */
import { Commands, runCancelFieldWorkEntry, runReadyToSyncEntry } from './commands';
import { registerNamespace } from './namespace';

registerNamespace({
  Commands,
  ReadyToSync: {
    run: (taskIds: readonly unknown[], options?: { projectId?: string | null }) => runReadyToSyncEntry(taskIds, options ?? {}),
  },
  CancelFieldWork: {
    run: (taskIds: readonly unknown[]) => runCancelFieldWorkEntry(taskIds),
  },
});

/**
 * The ribbon's functions (the FunctionName values of the RibbonDiffXml, ribbon/commandIds.ts) and the programmatic
 * entry the PCF grid calls. Each turns CrmParameter values into a request, runs the shared flow with ports over the
 * global Xrm, then refreshes what shows the result and tells the enable rules what changed.
 */
import { SyncStatus, msdyn_project } from '@pfb/domain';
import { runCancelFieldWork } from '../cancelFieldWork/cancelFieldWork';
import { normalizeId } from '../platform/ids';
import { commandPorts, currentXrm, privilegeSource, webApiPort } from '../platform/xrmPorts';
import type { CancelFieldWorkOutcome, ReadyToSyncOutcome } from '../readyToSync/outcome';
import { runReadyToSync } from '../readyToSync/readyToSync';
import { createEnableRules, type EnableRules } from '../rules/enableRules';
import type { CommandFunction } from '../ribbon/commandIds';
import { formEntityName, formRecordId, formRecordName, refreshForm, refreshGrid, type FormLike, type GridLike } from './contexts';

let rules: EnableRules | undefined;

/** One set of rule caches per page: the selection states and the privileges live as long as the page. */
function enableRules(): EnableRules {
  if (!rules) {
    const xrm = currentXrm();
    rules = createEnableRules({ webApi: webApiPort(xrm), privileges: privilegeSource(xrm) });
  }
  return rules;
}

/** Tests start each case with empty caches (a page gets them fresh on load). */
export function resetEnableRules(): void {
  rules = undefined;
}

function rememberQueued(outcome: ReadyToSyncOutcome): void {
  if (outcome.status === 'completed') enableRules().remember(new Map(outcome.queued.map((t) => [t.taskId, SyncStatus.ReadyToSync])));
}

function rememberCancelled(outcome: CancelFieldWorkOutcome): void {
  if (outcome.status === 'completed') enableRules().remember(new Map(outcome.cancelled.map((t) => [t.taskId, SyncStatus.Cancelled])));
}

/** Ready to Sync for these tasks with the interactive flow; `projectId` keeps the selection to one project. */
export async function runReadyToSyncEntry(taskIds: readonly unknown[], options: { projectId?: string | null; projectName?: string | null } = {}): Promise<ReadyToSyncOutcome> {
  const outcome = await runReadyToSync(commandPorts(), { taskIds: Array.isArray(taskIds) ? taskIds : [], projectId: options.projectId, projectName: options.projectName });
  rememberQueued(outcome);
  return outcome;
}

export async function runCancelFieldWorkEntry(taskIds: readonly unknown[]): Promise<CancelFieldWorkOutcome> {
  const outcome = await runCancelFieldWork(commandPorts(), { taskIds: Array.isArray(taskIds) ? taskIds : [] });
  rememberCancelled(outcome);
  return outcome;
}

/** The project a grid command runs under: the subgrid's parent record when it is a project. */
function parentProject(primaryEntityTypeName: unknown, firstPrimaryItemId: unknown): string | null {
  return primaryEntityTypeName === msdyn_project.logicalName ? normalizeId(firstPrimaryItemId) : null;
}

const ids = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export const Commands = {
  // ---- actions -------------------------------------------------------------------------------------------------
  /** Home grid and the project's task subgrid: SelectedControlSelectedItemIds, SelectedControl, PrimaryEntityTypeName, FirstPrimaryItemId. */
  async readyToSyncFromGrid(selectedIds: unknown, selectedControl?: GridLike, primaryEntityTypeName?: unknown, firstPrimaryItemId?: unknown): Promise<ReadyToSyncOutcome> {
    const outcome = await runReadyToSyncEntry(ids(selectedIds), { projectId: parentProject(primaryEntityTypeName, firstPrimaryItemId) });
    if (outcome.status === 'completed') refreshGrid(selectedControl);
    return outcome;
  },

  /** The task form: PrimaryControl. */
  async readyToSyncFromForm(primaryControl: FormLike): Promise<ReadyToSyncOutcome> {
    const id = formRecordId(primaryControl);
    const outcome = await runReadyToSyncEntry(id ? [id] : []);
    if (outcome.status === 'completed') await refreshForm(primaryControl);
    return outcome;
  },

  /** The project form: every leaf task of the project that is not queued, in the field or cancelled. PrimaryControl. */
  async syncAllReadyTasks(primaryControl: FormLike): Promise<ReadyToSyncOutcome> {
    const projectId = formEntityName(primaryControl) === msdyn_project.logicalName ? formRecordId(primaryControl) : null;
    const outcome = await runReadyToSyncEntry([], { projectId, projectName: formRecordName(primaryControl) });
    if (outcome.status === 'completed') await refreshForm(primaryControl);
    return outcome;
  },

  async cancelFieldWorkFromGrid(selectedIds: unknown, selectedControl?: GridLike): Promise<CancelFieldWorkOutcome> {
    const outcome = await runCancelFieldWorkEntry(ids(selectedIds));
    if (outcome.status === 'completed') refreshGrid(selectedControl);
    return outcome;
  },

  async cancelFieldWorkFromForm(primaryControl: FormLike): Promise<CancelFieldWorkOutcome> {
    const id = formRecordId(primaryControl);
    const outcome = await runCancelFieldWorkEntry(id ? [id] : []);
    if (outcome.status === 'completed') await refreshForm(primaryControl);
    return outcome;
  },

  // ---- enable rules (CustomRule; Promise<boolean>, resolved well within 10 s) ----------------------------------
  canRequestSync(): Promise<boolean> {
    return enableRules().canRequestSync();
  },
  canMarkSelection(selectedIds: unknown): Promise<boolean> {
    return enableRules().canMarkTasks(ids(selectedIds));
  },
  canCancelSelection(selectedIds: unknown): Promise<boolean> {
    return enableRules().canCancelTasks(ids(selectedIds));
  },
  canMarkFormTask(primaryControl: FormLike): Promise<boolean> {
    return enableRules().canMarkFormTask(formRecordId(primaryControl));
  },
  canCancelFormTask(primaryControl: FormLike): Promise<boolean> {
    return enableRules().canCancelFormTask(formRecordId(primaryControl));
  },
  canSyncProject(primaryControl: FormLike): Promise<boolean> {
    return enableRules().canSyncProject(formRecordId(primaryControl));
  },
} satisfies Record<CommandFunction, (...args: never[]) => Promise<unknown>>;

/**
 * The classic ribbon commands (RibbonDiffXml) of the two tables, as data. ribbonXml.ts renders it; the XML files in
 * webresources/ribbon/ are generated from it and validated against the reference RibbonCore schema.
 *
 * msdyn_projecttask (its home grid, its subgrid on the project form, its form):
 *   Ready to Sync ........ enable: a selection (SelectionCountRule ≥ 1 / a saved form), may create pfb_tasksync,
 *                          a selected task it applies to (async); display: Create privilege on pfb_tasksync
 *   Cancel field work .... enable: the same, for tasks in the field
 * msdyn_project (its form):
 *   Sync all ready tasks . enable: a saved form, may create pfb_tasksync, a leaf task not yet in the field (async)
 *
 * Subgrid buttons belong to the child table's ribbon (Mscrm.SubGrid.<child>…), which is why the project's task
 * subgrid commands are declared on msdyn_projecttask. CrmParameter values are the documented ones
 * (pass-data-page-parameter-ribbon-actions): SelectedControl and SelectedControlSelectedItemIds on grids,
 * PrimaryControl on forms, PrimaryEntityTypeName + FirstPrimaryItemId to know the subgrid's parent project.
 */
import { msdyn_project, msdyn_projecttask, pfb_tasksync } from '@pfb/domain';
import { COMMANDS_WEB_RESOURCE, commandFunction, type CommandFunction } from './commandIds';
import type { ButtonName } from './labels';

export type CrmParameterValue =
  | 'SelectedControl'
  | 'SelectedControlSelectedItemIds'
  | 'PrimaryControl'
  | 'PrimaryEntityTypeName'
  | 'FirstPrimaryItemId';

export type EnableRuleDef =
  | { readonly id: string; readonly kind: 'selectionCount'; readonly minimum: number }
  | { readonly id: string; readonly kind: 'formNotCreate' }
  | { readonly id: string; readonly kind: 'custom'; readonly fn: CommandFunction; readonly parameters: readonly CrmParameterValue[] };

export type DisplayRuleDef =
  | { readonly id: string; readonly kind: 'entityPrivilege'; readonly entity: string; readonly privilege: 'Create' | 'Write'; readonly depth: 'Basic' }
  | { readonly id: string; readonly kind: 'formNotCreate' };

export interface CommandDef {
  readonly id: string;
  readonly enableRules: readonly string[];
  readonly displayRules: readonly string[];
  readonly fn: CommandFunction;
  readonly parameters: readonly CrmParameterValue[];
}

export type Surface = 'HomepageGrid' | 'SubGrid' | 'Form';

export interface ButtonDef {
  readonly id: string;
  readonly surface: Surface;
  readonly command: string;
  readonly labels: ButtonName;
  readonly sequence: number;
}

export interface EntityRibbon {
  readonly entity: string;
  readonly buttons: readonly ButtonDef[];
  readonly commands: readonly CommandDef[];
  readonly enableRules: readonly EnableRuleDef[];
  readonly displayRules: readonly DisplayRuleDef[];
}

export const LIBRARY = `$webresource:${COMMANDS_WEB_RESOURCE}`;

/** Where a surface's buttons go: the Management group of grids, the Save group of forms (Mscrm.* locations). */
export function locationOf(entity: string, surface: Surface): string {
  return surface === 'Form' ? `Mscrm.Form.${entity}.MainTab.Save.Controls._children` : `Mscrm.${surface}.${entity}.MainTab.Management.Controls._children`;
}

/** Rule and command ids carry the publisher prefix and the table, so they never collide with Microsoft's. */
const idOf = (entity: string, ...parts: string[]): string => ['pfb', entity, ...parts].join('.');

function taskRibbon(): EntityRibbon {
  const e = msdyn_projecttask.logicalName;
  const rule = {
    selection: idOf(e, 'EnableRule', 'SelectionAtLeastOne'),
    saved: idOf(e, 'EnableRule', 'FormIsSaved'),
    privilege: idOf(e, 'EnableRule', 'CanRequestSync'),
    markable: idOf(e, 'EnableRule', 'SelectionCanBeMarked'),
    cancellable: idOf(e, 'EnableRule', 'SelectionCanBeCancelled'),
    formMarkable: idOf(e, 'EnableRule', 'FormTaskCanBeMarked'),
    formCancellable: idOf(e, 'EnableRule', 'FormTaskCanBeCancelled'),
    mayCreate: idOf(e, 'DisplayRule', 'CanCreateTaskSync'),
    notCreateForm: idOf(e, 'DisplayRule', 'FormIsNotCreate'),
  };
  const cmd = {
    readyGrid: idOf(e, 'ReadyToSync', 'Grid', 'Command'),
    readyForm: idOf(e, 'ReadyToSync', 'Form', 'Command'),
    cancelGrid: idOf(e, 'CancelFieldWork', 'Grid', 'Command'),
    cancelForm: idOf(e, 'CancelFieldWork', 'Form', 'Command'),
  };
  const gridParameters: readonly CrmParameterValue[] = ['SelectedControlSelectedItemIds', 'SelectedControl', 'PrimaryEntityTypeName', 'FirstPrimaryItemId'];
  return {
    entity: e,
    buttons: [
      { id: idOf(e, 'HomepageGrid', 'ReadyToSync', 'Button'), surface: 'HomepageGrid', command: cmd.readyGrid, labels: 'ReadyToSync', sequence: 900 },
      { id: idOf(e, 'HomepageGrid', 'CancelFieldWork', 'Button'), surface: 'HomepageGrid', command: cmd.cancelGrid, labels: 'CancelFieldWork', sequence: 910 },
      { id: idOf(e, 'SubGrid', 'ReadyToSync', 'Button'), surface: 'SubGrid', command: cmd.readyGrid, labels: 'ReadyToSync', sequence: 900 },
      { id: idOf(e, 'SubGrid', 'CancelFieldWork', 'Button'), surface: 'SubGrid', command: cmd.cancelGrid, labels: 'CancelFieldWork', sequence: 910 },
      { id: idOf(e, 'Form', 'ReadyToSync', 'Button'), surface: 'Form', command: cmd.readyForm, labels: 'ReadyToSync', sequence: 900 },
      { id: idOf(e, 'Form', 'CancelFieldWork', 'Button'), surface: 'Form', command: cmd.cancelForm, labels: 'CancelFieldWork', sequence: 910 },
    ],
    commands: [
      { id: cmd.readyGrid, enableRules: [rule.selection, rule.privilege, rule.markable], displayRules: [rule.mayCreate], fn: 'readyToSyncFromGrid', parameters: gridParameters },
      { id: cmd.cancelGrid, enableRules: [rule.selection, rule.privilege, rule.cancellable], displayRules: [rule.mayCreate], fn: 'cancelFieldWorkFromGrid', parameters: ['SelectedControlSelectedItemIds', 'SelectedControl'] },
      { id: cmd.readyForm, enableRules: [rule.saved, rule.privilege, rule.formMarkable], displayRules: [rule.mayCreate, rule.notCreateForm], fn: 'readyToSyncFromForm', parameters: ['PrimaryControl'] },
      { id: cmd.cancelForm, enableRules: [rule.saved, rule.privilege, rule.formCancellable], displayRules: [rule.mayCreate, rule.notCreateForm], fn: 'cancelFieldWorkFromForm', parameters: ['PrimaryControl'] },
    ],
    enableRules: [
      { id: rule.selection, kind: 'selectionCount', minimum: 1 },
      { id: rule.saved, kind: 'formNotCreate' },
      { id: rule.privilege, kind: 'custom', fn: 'canRequestSync', parameters: [] },
      { id: rule.markable, kind: 'custom', fn: 'canMarkSelection', parameters: ['SelectedControlSelectedItemIds'] },
      { id: rule.cancellable, kind: 'custom', fn: 'canCancelSelection', parameters: ['SelectedControlSelectedItemIds'] },
      { id: rule.formMarkable, kind: 'custom', fn: 'canMarkFormTask', parameters: ['PrimaryControl'] },
      { id: rule.formCancellable, kind: 'custom', fn: 'canCancelFormTask', parameters: ['PrimaryControl'] },
    ],
    displayRules: [
      { id: rule.mayCreate, kind: 'entityPrivilege', entity: pfb_tasksync.logicalName, privilege: 'Create', depth: 'Basic' },
      { id: rule.notCreateForm, kind: 'formNotCreate' },
    ],
  };
}

function projectRibbon(): EntityRibbon {
  const e = msdyn_project.logicalName;
  const rule = {
    saved: idOf(e, 'EnableRule', 'FormIsSaved'),
    privilege: idOf(e, 'EnableRule', 'CanRequestSync'),
    hasTasks: idOf(e, 'EnableRule', 'ProjectHasTasksToSync'),
    mayCreate: idOf(e, 'DisplayRule', 'CanCreateTaskSync'),
    notCreateForm: idOf(e, 'DisplayRule', 'FormIsNotCreate'),
  };
  const command = idOf(e, 'SyncAllReadyTasks', 'Command');
  return {
    entity: e,
    buttons: [{ id: idOf(e, 'Form', 'SyncAllReadyTasks', 'Button'), surface: 'Form', command, labels: 'SyncAllReadyTasks', sequence: 900 }],
    commands: [{ id: command, enableRules: [rule.saved, rule.privilege, rule.hasTasks], displayRules: [rule.mayCreate, rule.notCreateForm], fn: 'syncAllReadyTasks', parameters: ['PrimaryControl'] }],
    enableRules: [
      { id: rule.saved, kind: 'formNotCreate' },
      { id: rule.privilege, kind: 'custom', fn: 'canRequestSync', parameters: [] },
      { id: rule.hasTasks, kind: 'custom', fn: 'canSyncProject', parameters: ['PrimaryControl'] },
    ],
    displayRules: [
      { id: rule.mayCreate, kind: 'entityPrivilege', entity: pfb_tasksync.logicalName, privilege: 'Create', depth: 'Basic' },
      { id: rule.notCreateForm, kind: 'formNotCreate' },
    ],
  };
}

/** The tables whose ribbon the solution extends, each with its RibbonDiffXml definition. */
export const ENTITY_RIBBONS: readonly EntityRibbon[] = [taskRibbon(), projectRibbon()];

export const functionNameOf = commandFunction;

/// <reference lib="dom" />
/**
 * The two PCF controls on the shell's pages, each the production bundle in the sandbox's PCF host:
 * - BookingProgressPanel as a form's field control (its record from the form: contextInfo);
 * - WbsWorkOrderGrid as the project form's task subgrid. A model-driven app puts a dataset control in place of the
 *   subgrid, and the subgrid's ribbon (`Mscrm.SubGrid.msdyn_projecttask…`) then sees the control's selection:
 *   `TaskSubgrid` is that subgrid for the command bar — a GridControl whose rows and selection are the control's
 *   dataset, and whose `refresh()` (what a command calls after it writes) refreshes the dataset.
 */
import type { DatasetOptions, NavigationEvent } from '../../pcfhost/runtime/mount';
import { controlUrl, pcfHost, sandboxXrm, type GridControl, type MountedControl, type MountedXrm } from './hosts';
import { msdyn_projecttask } from './names';
import { recordUrl, RECORD_TABLES, type RecordTable } from './urls';

/** Seconds between the panel's reads (a form property; the platform's minimum is 5). */
export const PANEL_REFRESH_SECONDS = 10;

/** What a control asks the app to open: the record's page here (forms of other tables have none). */
export function navigateFor(e: NavigationEvent): void {
  const o = e.options as { entityName?: string; entityId?: string; etn?: string; id?: { guid?: string } | string; url?: string } | null;
  const table = e.kind === 'record' ? o?.etn : e.kind === 'form' ? o?.entityName : undefined;
  const id = e.kind === 'record' ? (typeof o?.id === 'string' ? o.id : o?.id?.guid) : o?.entityId;
  if (table && id && (RECORD_TABLES as readonly string[]).includes(table)) window.location.assign(recordUrl(table as RecordTable, id));
  else if (e.kind === 'url' && o?.url) window.open(o.url, '_blank', 'noopener');
}

export function mountProgressPanel(mounted: MountedXrm, element: HTMLElement, record: { entityName: RecordTable; entityId: string; recordName: string }): Promise<MountedControl> {
  return pcfHost().mountControl({
    element,
    controlUrl: controlUrl('BookingProgressPanel'),
    record,
    parameters: { anchor: record.recordName, refreshSeconds: PANEL_REFRESH_SECONDS },
    user: { id: mounted.user.id, name: mounted.user.name },
    label: 'Field progress',
    onNavigate: navigateFor,
  });
}

const bare = (id: string): string => id.replace(/[{}]/g, '').toLowerCase();

export interface TaskSubgrid {
  readonly control: MountedControl;
  readonly grid: GridControl;
}

/** The project's tasks in WBS order: the view behind the project form's task subgrid. */
export function projectTasksView(projectId: string): DatasetOptions {
  const C = msdyn_projecttask.columns;
  return {
    entityName: msdyn_projecttask.logicalName,
    columns: [C.msdyn_subject.logicalName, C.msdyn_scheduledstart.logicalName, C.msdyn_scheduledend.logicalName, C.msdyn_effort.logicalName],
    filter: `_${C.msdyn_project.logicalName}_value eq ${projectId}`,
    sorting: [{ name: C.msdyn_displaysequence.logicalName, sortDirection: 0 }],
    title: 'Project tasks',
  };
}

export async function mountTaskSubgrid(mounted: MountedXrm, element: HTMLElement, project: { id: string; name: string }): Promise<TaskSubgrid> {
  // The grid's callbacks run from the control's first render, before mountControl has returned it.
  const held: { control?: MountedControl } = {};
  let shownRows = '';
  const Base = sandboxXrm().GridControl;

  /** The subgrid as the ribbon sees it: rows and selection follow the dataset. */
  class DatasetSubgrid extends Base {
    /** A command refreshed the grid: read the tasks again, then take the rows. */
    override refresh(): Promise<void> {
      held.control?.datasets['tasks']?.refresh();
      return super.refresh();
    }

    /** The dataset changed by itself (paging, the control's own refresh): take its rows. */
    follow(): Promise<void> {
      return super.refresh();
    }
  }

  const grid = new DatasetSubgrid({
    name: 'Tasks',
    entityName: msdyn_projecttask.logicalName,
    load: async () => {
      await held.control?.idle();
      const ds = held.control?.datasets['tasks'];
      if (!ds) return [];
      return ds.sortedRecordIds.map((id) => ({ id: bare(id), name: ds.records[id]?.getFormattedValue(msdyn_projecttask.columns.msdyn_subject.logicalName) ?? '', attributes: {} }));
    },
  });

  const sync = (): void => {
    const ds = held.control?.datasets['tasks'];
    if (!ds || ds.loading) return;
    const rows = ds.sortedRecordIds.join(',');
    if (rows !== shownRows) {
      shownRows = rows;
      void grid.follow();
    }
    const selected = ds.getSelectedRecordIds().map(bare).sort();
    const known = grid.selectedRecords().map((r) => r.id).sort();
    if (selected.join(',') !== known.join(',')) grid.setSelected(selected);
  };

  const control = await pcfHost().mountControl({
    element,
    controlUrl: controlUrl('WbsWorkOrderGrid'),
    record: { entityName: 'msdyn_project', entityId: project.id, recordName: project.name },
    datasets: { tasks: projectTasksView(project.id) },
    user: { id: mounted.user.id, name: mounted.user.name },
    label: 'Tasks',
    onRender: () => sync(),
    onNavigate: navigateFor,
  });
  held.control = control;
  await control.idle();
  sync();
  await grid.follow();
  return { control, grid };
}

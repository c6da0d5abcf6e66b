/// <reference lib="dom" />
/**
 * The project form: its command bar (Mscrm.Form.msdyn_project: Sync all ready tasks) and fields; the task subgrid as
 * the WbsWorkOrderGrid control with the subgrid's command bar (Mscrm.SubGrid.msdyn_projecttask: Ready to Sync, Cancel
 * field work) over it; and the BookingProgressPanel showing the project's roll-up. Commands are the real web resource
 * pfb_/scripts/commands.js, loaded from /WebResources/ as a model-driven app loads it.
 */
import { mountProgressPanel, mountTaskSubgrid } from '../controls';
import { h } from '../dom';
import { dom, sandboxXrm } from '../hosts';
import { header, section } from '../layout';
import { msdyn_project } from '../names';
import { text, type PageContext, type PageResult, type Row } from './context';

export async function projectPage(ctx: PageContext, id: string): Promise<PageResult> {
  const { mounted, ribbons, main } = ctx;
  const P = msdyn_project.columns;
  const row = (await mounted.webApi.retrieveRecord(msdyn_project.logicalName, id, `?$select=${P.msdyn_subject.logicalName}`)) as Row;
  const name = text(row, P.msdyn_subject.logicalName);

  const formArea = h('div', { class: 'form' });
  main.append(header('Project', name), formArea);
  const form = await sandboxXrm().openFormPage(mounted, {
    container: dom(formArea),
    entityName: msdyn_project.logicalName,
    id,
    primaryNameAttribute: P.msdyn_subject.logicalName,
    ribbons,
    fields: [
      { label: 'Customer', attribute: P.msdyn_customer.logicalName, lookup: true },
      { label: 'Site', attribute: P.pfb_serviceaccount.logicalName, lookup: true },
      { label: 'Site time zone', attribute: P.pfb_timezone.logicalName },
      { label: 'Working hours', attribute: P.pfb_workinghours.logicalName },
    ],
  });

  const bar = h('div');
  const gridHost = h('div', { class: 'pcf-grid' });
  main.append(section('Tasks', 'tasks-heading', bar, gridHost));
  const subgrid = await mountTaskSubgrid(mounted, gridHost, { id, name });
  form.form.registerControl('Tasks', subgrid.grid);
  const commandBar = mounted.createCommandBar({
    container: dom(bar),
    ribbons,
    context: { entityName: subgrid.grid.getEntityName(), surface: 'SubGrid', selectedControl: subgrid.grid, primaryControl: form.form.formContext },
  });
  subgrid.grid.subscribe(() => void commandBar.refresh());
  // A form command (Sync all ready tasks) refreshes the form; its subgrid reads again with it.
  form.form.formContext.data.addOnLoad(() => void subgrid.grid.refresh());
  await commandBar.refresh();

  const panelHost = h('div', { class: 'pcf-panel' });
  // The panel titles itself (Field progress).
  main.append(h('section', { class: 'card', 'aria-label': 'Field progress' }, panelHost));
  const panel = await mountProgressPanel(mounted, panelHost, { entityName: 'msdyn_project', entityId: id, recordName: name });
  return { projectId: id, handles: { form, subgrid, commandBar, panel } };
}

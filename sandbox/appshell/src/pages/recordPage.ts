/// <reference lib="dom" />
/**
 * The work order and project task forms: command bar (the task form has Ready to Sync and Cancel field work), fields,
 * links to the related records, and the BookingProgressPanel with the record's field progress. The task form runs
 * its OnLoad script (pfb_/scripts/forms.js), which shows the task's sync status as a form notification.
 */
import { mountProgressPanel } from '../controls';
import { h } from '../dom';
import { dom, sandboxXrm, type FormPage } from '../hosts';
import { header } from '../layout';
import { msdyn_projecttask, msdyn_workorder } from '../names';
import { recordUrl, urlOf, type RecordTable } from '../urls';
import { type PageContext, type PageResult } from './context';

interface LookupValue {
  readonly id: string;
  readonly name: string | null;
}

const lookup = (form: FormPage, attribute: string): LookupValue | null => {
  const v = form.form.values()[attribute];
  return Array.isArray(v) && v[0] ? (v[0] as LookupValue) : null;
};

const bare = (id: string): string => id.replace(/[{}]/g, '').toLowerCase();

export async function recordPage(ctx: PageContext, table: Exclude<RecordTable, 'msdyn_project'>, id: string): Promise<PageResult> {
  const { mounted, ribbons, main } = ctx;
  const W = msdyn_workorder.columns;
  const T = msdyn_projecttask.columns;
  const workOrder = table === msdyn_workorder.logicalName;
  const head = header(workOrder ? 'Work order' : 'Project task', '…');
  const formArea = h('div', { class: 'form' });
  main.append(head, formArea);
  const form = await sandboxXrm().openFormPage(mounted, {
    container: dom(formArea),
    entityName: table,
    id,
    primaryNameAttribute: workOrder ? W.msdyn_name.logicalName : T.msdyn_subject.logicalName,
    ribbons,
    fields: workOrder
      ? [
          { label: 'Work order number', attribute: W.msdyn_name.logicalName },
          { label: 'Project', attribute: W.pfb_project.logicalName, lookup: true },
          { label: 'Project task', attribute: W.pfb_projecttask.logicalName, lookup: true },
          { label: 'Service account', attribute: W.msdyn_serviceaccount.logicalName, lookup: true },
          { label: 'Planned effort (h)', attribute: W.pfb_plannedeffort.logicalName },
          { label: 'Source key', attribute: W.pfb_sourcekey.logicalName },
        ]
      : [
          { label: 'Task', attribute: T.msdyn_subject.logicalName },
          { label: 'Project', attribute: T.msdyn_project.logicalName, lookup: true },
          { label: 'Effort (h)', attribute: T.msdyn_effort.logicalName },
        ],
    onLoad: workOrder ? [] : [{ library: '$webresource:pfb_/scripts/forms.js', functionName: 'ProjectFieldBridge.Forms.projectTaskOnLoad' }],
  });
  const name = form.form.formContext.data.entity.getPrimaryAttributeValue() ?? id;
  const title = head.querySelector('h1');
  if (title) title.textContent = name;
  document.title = `${name} – Project Field Bridge`;

  const project = lookup(form, workOrder ? W.pfb_project.logicalName : T.msdyn_project.logicalName);
  const task = workOrder ? lookup(form, W.pfb_projecttask.logicalName) : null;
  const links = [
    project ? h('li', {}, h('a', { href: recordUrl('msdyn_project', project.id) }, `Project: ${project.name ?? ''}`)) : null,
    task ? h('li', {}, h('a', { href: recordUrl('msdyn_projecttask', task.id) }, `Task: ${task.name ?? ''}`)) : null,
    workOrder ? h('li', {}, h('a', { href: urlOf({ page: 'dispatcher' }) }, 'Dispatcher: open requirements')) : null,
  ];
  main.append(h('nav', { class: 'related', 'aria-label': 'Related records' }, h('ul', {}, ...links)));

  const panelHost = h('div', { class: 'pcf-panel' });
  // The panel titles itself (Field progress).
  main.append(h('section', { class: 'card', 'aria-label': 'Field progress' }, panelHost));
  const panel = await mountProgressPanel(mounted, panelHost, { entityName: table, entityId: id, recordName: name });
  return { projectId: project ? bare(project.id) : null, handles: { form, panel } };
}

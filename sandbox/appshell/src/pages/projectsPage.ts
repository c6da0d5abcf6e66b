/// <reference lib="dom" />
/** The program's projects (the app's home, an entity list): each with its site and its field progress. */
import { h } from '../dom';
import { header, section } from '../layout';
import { FORMATTED, msdyn_project, pfb_projectprogress, valueOf } from '../names';
import { recordUrl } from '../urls';
import { text, type PageContext, type PageResult, type Row } from './context';

export async function projectsPage(ctx: PageContext): Promise<PageResult> {
  const P = msdyn_project.columns;
  const G = pfb_projectprogress.columns;
  const [projects, progress] = await Promise.all([
    ctx.mounted.webApi.retrieveMultipleRecords(
      msdyn_project.logicalName,
      `?$select=${[P.msdyn_subject, P.msdyn_scheduledstart, P.pfb_timezone].map((c) => c.logicalName).join(',')},${valueOf(P.msdyn_customer)}&$orderby=${P.msdyn_subject.logicalName}`,
    ),
    ctx.mounted.webApi.retrieveMultipleRecords(pfb_projectprogress.logicalName, `?$select=${[G.pfb_percentcomplete, G.pfb_taskscompleted, G.pfb_taskstotal].map((c) => c.logicalName).join(',')},${valueOf(G.pfb_project)}`),
  ]);
  const byProject = new Map((progress.entities as Row[]).map((r) => [text(r, valueOf(G.pfb_project)), r]));
  const rows = (projects.entities as Row[]).map((p) => {
    const id = text(p, msdyn_project.primaryIdAttribute);
    const g = byProject.get(id);
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, h('a', { href: recordUrl('msdyn_project', id) }, text(p, P.msdyn_subject.logicalName))),
      h('td', {}, text(p, `${valueOf(P.msdyn_customer)}${FORMATTED}`)),
      h('td', {}, text(p, P.pfb_timezone.logicalName)),
      h('td', {}, g ? `${text(g, G.pfb_taskscompleted.logicalName)} of ${text(g, G.pfb_taskstotal.logicalName)}` : 'Not in the field yet'),
      h('td', { class: 'number' }, g ? `${Math.round(Number(g[G.pfb_percentcomplete.logicalName] ?? 0))}%` : '—'),
    );
  });
  ctx.main.append(
    header('Projects', 'Active projects'),
    section(
      'Projects of the program',
      'projects-heading',
      h('p', {}, 'Open a project to send its tasks to the field: select tasks in the grid and press Ready to Sync.'),
      h(
        'table',
        { class: 'data' },
        h('caption', { class: 'visually-hidden' }, 'Projects'),
        h('thead', {}, h('tr', {}, ...['Project', 'Customer', 'Site time zone', 'Field tasks completed', 'Field progress'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, ...rows),
      ),
    ),
  );
  return {};
}

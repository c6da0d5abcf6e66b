/// <reference lib="dom" />
/**
 * The app shell's entry (shell.js): a thin model-driven-style app over the local Dataverse. It mounts the sandbox's
 * Xrm (the user, the Web API, dialogs and message bars), reads the program's projects for the site map, and opens the
 * page the address names (urls.ts). `window.shell` says when the page is ready (`ready`), for people and tests alike.
 */
import { h } from './dom';
import { dom, loadRibbons, sandboxXrm } from './hosts';
import { frame, siteMap, type ProjectLink } from './layout';
import { msdyn_project } from './names';
import { messageOf, text, type PageContext, type PageResult, type Row } from './pages/context';
import { dispatcherPage } from './pages/dispatcherPage';
import { projectPage } from './pages/projectPage';
import { projectsPage } from './pages/projectsPage';
import { recordPage } from './pages/recordPage';
import { technicianPage } from './pages/technicianPage';
import { routeOf, urlOf, type Route } from './urls';

interface ShellWindow {
  shell?: { ready: boolean; route: Route; page: PageResult };
  shellError?: string;
}

async function readProjects(ctx: Pick<PageContext, 'mounted'>): Promise<ProjectLink[]> {
  const name = msdyn_project.columns.msdyn_subject.logicalName;
  const result = await ctx.mounted.webApi.retrieveMultipleRecords(msdyn_project.logicalName, `?$select=${name}&$orderby=${name}`);
  return (result.entities as Row[]).map((r) => ({ id: text(r, msdyn_project.primaryIdAttribute), name: text(r, name) }));
}

function open(ctx: PageContext, route: Route): Promise<PageResult> {
  switch (route.page) {
    case 'projects':
      return projectsPage(ctx);
    case 'record':
      return route.table === 'msdyn_project' ? projectPage(ctx, route.id) : recordPage(ctx, route.table, route.id);
    case 'dispatcher':
      return dispatcherPage(ctx);
    case 'technician':
      return technicianPage(ctx, route.ticketId);
    case 'unknown':
      ctx.main.append(h('h1', {}, 'Page not found'), h('p', {}, 'This address names no page of the app. ', h('a', { href: urlOf({ page: 'projects' }) }, 'Go to the projects'), '.'));
      return Promise.resolve({});
  }
}

async function start(): Promise<void> {
  const w = window as unknown as ShellWindow;
  const root = document.getElementById('app');
  if (!root) throw new Error('index.html has no #app element');
  const route = routeOf(window.location.search);
  const f = frame(root);
  try {
    const mounted = await sandboxXrm().mountXrm({ user: { privileges: 'all' }, resources: ['pfb_/strings/ribbon'], notificationContainer: dom(f.notifications) });
    const [projects, ribbons] = await Promise.all([readProjects({ mounted }), loadRibbons(mounted)]);
    const ctx: PageContext = { mounted, ribbons, main: f.main, projects };
    siteMap(f.nav, projects, route, null);
    const page = await open(ctx, route);
    if (page.projectId) siteMap(f.nav, projects, route, page.projectId);
    w.shell = { ready: true, route, page };
  } catch (e) {
    const message = messageOf(e);
    w.shellError = e instanceof Error && e.stack ? e.stack : message;
    f.main.prepend(h('div', { class: 'sx-notification sx-error', role: 'alert' }, h('span', { class: 'sx-message' }, `This page could not open: ${message}`)));
    console.error(e);
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void start());
else void start();

/// <reference lib="dom" />
/**
 * The frame of a model-driven app: the app bar, the site map on the left (the telecom program's projects, the
 * dispatcher's requirements, the simulator's technician page) and the page area with its message bars.
 */
import { h, show } from './dom';
import { urlOf, type Route } from './urls';

export interface Frame {
  readonly main: HTMLElement;
  readonly notifications: HTMLElement;
  readonly nav: HTMLElement;
}

export interface ProjectLink {
  readonly id: string;
  readonly name: string;
}

export function frame(root: HTMLElement): Frame {
  const notifications = h('div', { id: 'notifications' });
  const main = h('main', { id: 'main', tabindex: '-1' });
  const nav = h('nav', { class: 'site-map', 'aria-label': 'Site map' });
  show(
    root,
    h('a', { class: 'skip-link', href: '#main' }, 'Skip to content'),
    h('header', { class: 'app-bar' }, h('span', { class: 'app-name' }, 'Project Field Bridge'), h('span', { class: 'app-env' }, 'Sandbox · local Dataverse')),
    h('div', { class: 'app-body' }, nav, h('div', { class: 'page' }, notifications, main)),
  );
  return { main, notifications, nav };
}

const same = (a: Route, b: Route): boolean => urlOf(a) === urlOf(b);

export function siteMap(nav: HTMLElement, projects: readonly ProjectLink[], current: Route, currentProjectId: string | null): void {
  const link = (route: Route, label: string, active: boolean): HTMLElement =>
    h('li', {}, h('a', { href: urlOf(route), 'aria-current': active ? 'page' : undefined }, label));
  const group = (title: string, id: string, ...items: HTMLElement[]): HTMLElement =>
    h('section', { 'aria-labelledby': id }, h('h2', { id }, title), h('ul', {}, ...items));
  show(
    nav,
    group(
      'Projects',
      'nav-projects',
      link({ page: 'projects' }, 'All projects', current.page === 'projects'),
      ...projects.map((p) => link({ page: 'record', table: 'msdyn_project', id: p.id }, p.name, currentProjectId === p.id)),
    ),
    group('Field Service', 'nav-field', link({ page: 'dispatcher' }, 'Dispatcher: open requirements', same(current, { page: 'dispatcher' }))),
    group('Mobility app (simulator)', 'nav-mobility', link({ page: 'technician', ticketId: null }, 'Technician', current.page === 'technician')),
  );
}

/** A page's title row: what it is and its name (the h1), as a model-driven form header. */
export function header(kind: string, title: string, ...extra: (Node | string)[]): HTMLElement {
  document.title = `${title} – Project Field Bridge`;
  return h('div', { class: 'page-header' }, h('p', { class: 'page-kind' }, kind), h('h1', {}, title), ...extra);
}

export function section(title: string, id: string, ...children: (Node | string | null)[]): HTMLElement {
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

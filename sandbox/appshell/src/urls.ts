/**
 * The shell's pages and their addresses, in the shape of a model-driven app's (main.aspx?pagetype=entityrecord&etn=
 * <table>&id=<id>, pagetype=entitylist, pagetype=custom&name=…), so a link reads like one a Dynamics user knows.
 * Every page is a full load of the one page (index.html): no client-side router state to get wrong.
 */

/** Tables with a record page here. */
export const RECORD_TABLES = ['msdyn_project', 'msdyn_projecttask', 'msdyn_workorder'] as const;
export type RecordTable = (typeof RECORD_TABLES)[number];

export type Route =
  | { readonly page: 'projects' }
  | { readonly page: 'record'; readonly table: RecordTable; readonly id: string }
  | { readonly page: 'dispatcher' }
  | { readonly page: 'technician'; readonly ticketId: string | null }
  | { readonly page: 'unknown'; readonly search: string };

const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;
const guid = (value: string | null): string | null => (value ? (GUID.exec(value)?.[1]?.toLowerCase() ?? null) : null);

export function routeOf(search: string): Route {
  const q = new URLSearchParams(search);
  const pagetype = q.get('pagetype');
  if (!pagetype || (pagetype === 'entitylist' && q.get('etn') === 'msdyn_project')) return { page: 'projects' };
  if (pagetype === 'entityrecord') {
    const table = q.get('etn');
    const id = guid(q.get('id'));
    if (id && (RECORD_TABLES as readonly string[]).includes(table ?? '')) return { page: 'record', table: table as RecordTable, id };
  }
  if (pagetype === 'custom' && q.get('name') === 'dispatcher') return { page: 'dispatcher' };
  if (pagetype === 'custom' && q.get('name') === 'technician') return { page: 'technician', ticketId: guid(q.get('ticket')) };
  return { page: 'unknown', search };
}

export function urlOf(route: Route): string {
  switch (route.page) {
    case 'projects':
      return '/?pagetype=entitylist&etn=msdyn_project';
    case 'record':
      return `/?pagetype=entityrecord&etn=${route.table}&id=${route.id}`;
    case 'dispatcher':
      return '/?pagetype=custom&name=dispatcher';
    case 'technician':
      return `/?pagetype=custom&name=technician${route.ticketId ? `&ticket=${route.ticketId}` : ''}`;
    case 'unknown':
      return `/${route.search}`;
  }
}

export const recordUrl = (table: RecordTable, id: string): string => urlOf({ page: 'record', table, id: id.replace(/[{}]/g, '').toLowerCase() });

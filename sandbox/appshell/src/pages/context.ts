/// <reference lib="dom" />
/** What every page gets: the mounted Xrm, the ribbons, the page area and the program's projects. */
import type { MountedXrm, RibbonModel } from '../hosts';
import type { ProjectLink } from '../layout';

export interface PageContext {
  readonly mounted: MountedXrm;
  readonly ribbons: readonly RibbonModel[];
  readonly main: HTMLElement;
  readonly projects: readonly ProjectLink[];
}

/** What a page tells the shell: its project (highlighted in the site map) and what tests may read. */
export interface PageResult {
  readonly projectId?: string | null;
  readonly handles?: Readonly<Record<string, unknown>>;
}

/** Xrm.WebApi errors are objects with a message; everything else is shown as it is. */
export function messageOf(e: unknown): string {
  if (e && typeof e === 'object' && 'message' in e && typeof (e as { message: unknown }).message === 'string') return (e as { message: string }).message;
  return String(e);
}

export type Row = Record<string, unknown>;

export const text = (row: Row, key: string): string => {
  const v = row[key];
  return v === null || v === undefined ? '' : String(v);
};

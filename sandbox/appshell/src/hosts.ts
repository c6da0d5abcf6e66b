/// <reference lib="dom" />
/**
 * The two hosts the pages run on, as the page loads them (index.html): the sandbox's Xrm (`window.SandboxXrm`, from
 * sandbox/xrm) and the sandbox's PCF host (`window.PfbPcfHost`, from sandbox/pcfhost, after its platform libraries).
 * Only their types are imported here: the code is theirs, in their own bundles.
 */
import type { GridControl } from '../../xrm/src/controls/gridControl';
import type { DomElement } from '../../xrm/src/ui/dom';
import type { MountedXrm, MountOptions } from '../../xrm/src/mount';
import type { FormPage, FormPageOptions } from '../../xrm/src/pages';
import type { RibbonModel } from '../../xrm/src/ribbon/ribbonModel';
import type { MountedControl, MountOptions as ControlMountOptions } from '../../pcfhost/runtime/mount';

export type { FormPage, GridControl, MountedControl, MountedXrm, RibbonModel };

interface SandboxXrmGlobal {
  mountXrm(options: MountOptions): Promise<MountedXrm>;
  openFormPage(mounted: MountedXrm, options: FormPageOptions): Promise<FormPage>;
  readonly GridControl: typeof GridControl;
}

interface PcfHostGlobal {
  mountControl(options: ControlMountOptions): Promise<MountedControl>;
}

function global<T>(name: string, script: string): T {
  const value = (window as unknown as Record<string, unknown>)[name];
  if (!value) throw new Error(`${name} is not on the page: ${script} did not load (npm start builds it into sandbox/appshell/dist).`);
  return value as T;
}

export const sandboxXrm = (): SandboxXrmGlobal => global<SandboxXrmGlobal>('SandboxXrm', '/shell/xrm.js');
export const pcfHost = (): PcfHostGlobal => global<PcfHostGlobal>('PfbPcfHost', '/pcfhost/host.js');

/** The sandbox Xrm types its DOM structurally (it is checked without the DOM library); a page's elements fit. */
export const dom = (element: HTMLElement): DomElement => element as unknown as DomElement;

/** The tables whose RibbonDiffXml the solution carries (webresources/ribbon, served under /ribbon/). */
const RIBBON_TABLES = ['msdyn_projecttask', 'msdyn_project'] as const;

export async function loadRibbons(mounted: MountedXrm): Promise<RibbonModel[]> {
  const xml = await Promise.all(
    RIBBON_TABLES.map(async (table) => {
      const res = await fetch(`/ribbon/${table}.RibbonDiff.xml`);
      if (!res.ok) throw new Error(`The ribbon of ${table} could not be read (HTTP ${res.status}).`);
      return res.text();
    }),
  );
  return mounted.readRibbons(xml);
}

/** Where a control's build output is served (sandbox/start/appShell.ts). */
export const controlUrl = (name: 'WbsWorkOrderGrid' | 'BookingProgressPanel'): string => `/controls/${name}/`;

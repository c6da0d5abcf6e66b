/**
 * Names from ControlManifest.Input.xml, once (a test checks them against the XML), and the typed inputs the control
 * reads. Written by hand rather than imported from pcf-scripts' generated ManifestTypes.d.ts, which exists only after
 * a build (and `npm run lint` runs on a fresh clone).
 */
export const NAMESPACE = 'ProjectFieldBridge';
export const CONSTRUCTOR = 'WbsWorkOrderGrid';

export const DATASET = 'tasks' as const;
export const PROPERTIES = {
  pageSize: 'pageSize',
  maxTasks: 'maxTasks',
} as const;

export interface IInputs {
  tasks: ComponentFramework.PropertyTypes.DataSet;
  pageSize: ComponentFramework.PropertyTypes.WholeNumberProperty;
  maxTasks: ComponentFramework.PropertyTypes.WholeNumberProperty;
}

// The grid has no outputs: selection goes to the dataset (the app's command bar reads it from there).
export type IOutputs = Record<string, never>;

/** Defaults when the maker leaves a property empty (the manifest's default-value says the same). */
export const DEFAULT_PAGE_SIZE = 500;
export const DEFAULT_MAX_TASKS = 50_000;

/**
 * Button texts of the RibbonDiffXml, as LocLabels (one Title per language; 1033 here). Each button has its label,
 * its Alt text and its tooltip; the tooltip says what happens, so a coordinator knows before clicking.
 */
export const LABEL_LANGUAGES = [1033] as const;

export interface ButtonLabels {
  readonly label: string;
  readonly alt: string;
  readonly tooltipTitle: string;
  readonly tooltipDescription: string;
}

export const BUTTON_LABELS = {
  ReadyToSync: {
    label: 'Ready to Sync',
    alt: 'Mark the selected tasks Ready to Sync',
    tooltipTitle: 'Ready to Sync',
    tooltipDescription: 'Checks the selected tasks and sends the ones that are ready to the field: their work orders are created in Field Service. Tasks that are not ready are listed with what to fix.',
  },
  SyncAllReadyTasks: {
    label: 'Sync all ready tasks',
    alt: 'Send every ready task of this project to the field',
    tooltipTitle: 'Sync all ready tasks',
    tooltipDescription: 'Checks every task of this project that is not yet in the field and sends the ready ones: their work orders are created in Field Service.',
  },
  CancelFieldWork: {
    label: 'Cancel field work',
    alt: 'Cancel the field work of the selected tasks',
    tooltipTitle: 'Cancel field work',
    tooltipDescription: 'Cancels the work orders of the selected tasks that have not started. Work already started goes on.',
  },
} as const satisfies Record<string, ButtonLabels>;

export type ButtonName = keyof typeof BUTTON_LABELS;

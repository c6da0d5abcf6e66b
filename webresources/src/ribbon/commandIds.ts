/**
 * The contract between the RibbonDiffXml and the commands bundle: the web resource names and the functions the
 * ribbon calls. commands.ts is type-checked against COMMAND_FUNCTIONS, and a test runs the built bundle and resolves
 * every FunctionName of the generated XML on its global, so neither side can drift.
 */
export const COMMANDS_WEB_RESOURCE = 'pfb_/scripts/commands.js';
export const FORMS_WEB_RESOURCE = 'pfb_/scripts/forms.js';

export const COMMAND_FUNCTIONS = [
  'readyToSyncFromGrid',
  'readyToSyncFromForm',
  'syncAllReadyTasks',
  'cancelFieldWorkFromGrid',
  'cancelFieldWorkFromForm',
  'canRequestSync',
  'canMarkSelection',
  'canCancelSelection',
  'canMarkFormTask',
  'canCancelFormTask',
  'canSyncProject',
] as const;

export type CommandFunction = (typeof COMMAND_FUNCTIONS)[number];

/** `ProjectFieldBridge.Commands.<name>`: the FunctionName of a JavaScriptFunction or CustomRule. */
export const commandFunction = (name: CommandFunction): string => `ProjectFieldBridge.Commands.${name}`;

export const FORM_FUNCTIONS = ['taskSyncOnLoad', 'projectTaskOnLoad'] as const;
export type FormFunction = (typeof FORM_FUNCTIONS)[number];
/** The form event handler names to register on the forms (pfb_tasksync form and project task form, OnLoad). */
export const formFunction = (name: FormFunction): string => `ProjectFieldBridge.Forms.${name}`;

/**
 * The web resources this workspace builds: name in Dataverse → file, relative to webresources/dist/ (laid out by
 * web resource name). The solution packer (solution/src/inputs/buildOutputs.ts) `require`s this module and reads
 * WEB_RESOURCES, so it stays plain data with no imports.
 *
 * `dependencies`: the web resources a script needs loaded with it. getResourceString only finds the RESX when it is
 * "associated to the calling JavaScript web resource as a dependency" (getresourcestring.md): in the solution that is
 * the script's DependencyXml. Without it the scripts fall back to their built-in 1033 strings.
 */
export interface WebResourceFile {
  /** Web resource name (publisher prefix, `/` for virtual folders), as the ribbon's `$webresource:` names it. */
  readonly name: string;
  /** Path relative to webresources/dist/. */
  readonly file: string;
  readonly displayName: string;
  readonly description: string;
  readonly dependencies?: readonly string[];
}

export const WEB_RESOURCES: readonly WebResourceFile[] = [
  {
    name: 'pfb_/scripts/commands.js',
    file: 'pfb_/scripts/commands.js',
    displayName: 'Project Field Bridge: ribbon commands',
    description: 'Ready to Sync, Sync all ready tasks and Cancel field work on the project task grid, subgrid and form and on the project form; ProjectFieldBridge.ReadyToSync.run for the WBS grid.',
    dependencies: ['pfb_/strings/ribbon.1033.resx'],
  },
  {
    name: 'pfb_/scripts/forms.js',
    file: 'pfb_/scripts/forms.js',
    displayName: 'Project Field Bridge: form scripts',
    description: 'OnLoad of the task sync and project task forms: the sync status and last error as a form notification.',
    dependencies: ['pfb_/strings/ribbon.1033.resx'],
  },
  {
    name: 'pfb_/strings/ribbon.1033.resx',
    file: 'pfb_/strings/ribbon.1033.resx',
    displayName: 'Project Field Bridge: command strings (English)',
    description: 'Strings of the ribbon commands and form scripts, and the validation messages, for language 1033.',
  },
];

/** Bundle entry points (relative to webresources/src/) of the script web resources. */
export const SCRIPT_ENTRIES: Readonly<Record<string, string>> = {
  'pfb_/scripts/commands.js': 'commands/entry.ts',
  'pfb_/scripts/forms.js': 'forms/entry.ts',
};

/**
 * The RESX web resource of the commands (`pfb_/strings/ribbon.<lcid>.resx`): the script strings and the validation
 * message templates of `@pfb/domain`, in the .NET ResX format Dataverse takes for String (RESX) web resources (it
 * converts them to JSON on publish; resx-web-resources.md). Generated, never edited by hand: translators copy the 1033
 * file, change the values and the LCID in the name.
 */
import { VALIDATION_CODES, VALIDATION_MESSAGES } from '@pfb/domain';
import { RESX_WEB_RESOURCE, SCRIPT_STRINGS } from './catalogue';
import { validationKey } from './localize';

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (text: string): string => escape(text).replace(/"/g, '&quot;');

export interface ResxEntry {
  readonly key: string;
  readonly value: string;
  readonly comment?: string;
}

/** Every entry of the 1033 RESX: script strings first, then each validation code's message and fix. */
export function resxEntries1033(): ResxEntry[] {
  const english = VALIDATION_MESSAGES[1033].templates;
  return [
    ...Object.entries(SCRIPT_STRINGS).map(([key, value]) => ({ key, value })),
    ...VALIDATION_CODES.flatMap((code) => [
      { key: validationKey(code, 'message'), value: english[code].message, comment: `Validation ${code}: the problem, naming the task.` },
      { key: validationKey(code, 'fix'), value: english[code].fix, comment: `Validation ${code}: what to do about it.` },
    ]),
  ];
}

const READER = 'System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089';
const WRITER = 'System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089';

export function renderResx(entries: readonly ResxEntry[]): string {
  const header = (name: string, value: string): string => `  <resheader name="${name}">\n    <value>${escape(value)}</value>\n  </resheader>`;
  const data = entries.map(
    (e) =>
      `  <data name="${escapeAttr(e.key)}" xml:space="preserve">\n    <value>${escape(e.value)}</value>${e.comment ? `\n    <comment>${escape(e.comment)}</comment>` : ''}\n  </data>`,
  );
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<root>',
    header('resmimetype', 'text/microsoft-resx'),
    header('version', '2.0'),
    header('reader', READER),
    header('writer', WRITER),
    ...data,
    '</root>',
    '',
  ].join('\n');
}

/** `pfb_/strings/ribbon.1033.resx`: the web resource name of a language's RESX (the LCID is part of the name). */
export const resxWebResourceName = (lcid: number): string => `${RESX_WEB_RESOURCE}.${lcid}.resx`;

/** The file under webresources/strings/ (and dist/): the web resource name's last segment. */
export const resxFileName = (lcid: number): string => resxWebResourceName(lcid).split('/').pop() as string;

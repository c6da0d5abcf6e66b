/**
 * Script strings in the user's language. Strings come from the RESX web resource through
 * `Xrm.Utility.getResourceString(name, key)`, which picks the user's language and falls back to the organization's
 * base language, and returns null for a missing key (getresourcestring.md); when the RESX is not associated with the
 * calling script (it throws "{webResourceName} does not exist") or a key is missing, the built-in 1033 text is used.
 *
 * Validation messages come from `@pfb/domain` (1033); for another language, the same RESX carries
 * `validation.<code>.message` / `.fix` templates, turned into a catalogue `formatValidationIssue` accepts.
 */
import {
  VALIDATION_CODES,
  VALIDATION_DEFAULT_LCID,
  VALIDATION_MESSAGES,
  formatValidationIssue,
  type ValidationIssue,
  type ValidationMessageCatalogue,
  type ValidationMessageTemplate,
} from '@pfb/domain';
import { RESX_WEB_RESOURCE, SCRIPT_STRINGS, type PluralKey, type StringKey } from './catalogue';
import { fill, type Params } from './format';

/** Reads one RESX string; null when the key (or the whole RESX) is missing. */
export type ResourceLookup = (key: string) => string | null;

export interface Strings {
  readonly lcid: number;
  /** BCP 47 locale for dates and numbers. */
  readonly locale: string;
  t(key: StringKey, params?: Params): string;
  /** `<base>.one` for 1, `<base>.other` otherwise, with `{count}` filled. */
  plural(base: PluralKey, count: number, params?: Params): string;
  /** One line: the problem (naming the task) and its fix. */
  issue(issue: ValidationIssue): string;
  date(value: Date | string | null | undefined): string;
}

/** Locales of the languages Dataverse offers most often; others format like en-US. */
const LOCALES: Readonly<Record<number, string>> = {
  1033: 'en-US',
  2057: 'en-GB',
  3081: 'en-AU',
  4105: 'en-CA',
  1031: 'de-DE',
  1036: 'fr-FR',
  3084: 'fr-CA',
  3082: 'es-ES',
  1040: 'it-IT',
  1043: 'nl-NL',
  1046: 'pt-BR',
  2070: 'pt-PT',
  1053: 'sv-SE',
  1030: 'da-DK',
  1044: 'nb-NO',
  1035: 'fi-FI',
  1045: 'pl-PL',
  1041: 'ja-JP',
  2052: 'zh-CN',
  1042: 'ko-KR',
};

export const localeOf = (lcid: number): string => LOCALES[lcid] ?? 'en-US';

/** The RESX key of a validation template. */
export const validationKey = (code: string, part: keyof ValidationMessageTemplate): string => `validation.${code}.${part}`;

/** The catalogue for `lcid` built from the RESX (1033 stays the domain's own). */
function validationCatalogue(lcid: number, lookup: ResourceLookup): ValidationMessageCatalogue {
  if (lcid === VALIDATION_DEFAULT_LCID) return VALIDATION_MESSAGES;
  const templates: Record<string, ValidationMessageTemplate> = {};
  for (const code of VALIDATION_CODES) {
    const message = lookup(validationKey(code, 'message'));
    const fix = lookup(validationKey(code, 'fix'));
    if (message && fix) templates[code] = { message, fix };
  }
  return { ...VALIDATION_MESSAGES, [lcid]: { locale: localeOf(lcid), templates } };
}

export function createStrings(lcid: number, lookup: ResourceLookup = () => null): Strings {
  const locale = localeOf(lcid);
  const numbers = new Intl.NumberFormat(locale);
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const text = (key: StringKey): string => {
    const own = lookup(key);
    return typeof own === 'string' && own !== '' ? own : SCRIPT_STRINGS[key];
  };
  let catalogue: ValidationMessageCatalogue | undefined;
  const strings: Strings = {
    lcid,
    locale,
    t: (key, params) => fill(text(key), params, (n) => numbers.format(n)),
    plural: (base, count, params) => strings.t(`${base}.${count === 1 ? 'one' : 'other'}` as StringKey, { count, ...params }),
    issue: (issue) => {
      catalogue ??= validationCatalogue(lcid, lookup);
      return formatValidationIssue(issue, lcid, catalogue);
    },
    date: (value) => {
      const d = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
      return d && !Number.isNaN(d.getTime()) ? dates.format(d).replace(/\u202f/g, ' ') : text('form.unknownDate');
    },
  };
  return strings;
}

/** A lookup over `Xrm.Utility.getResourceString` that treats "not associated" (it throws) and null as missing. */
export function resxLookup(getResourceString: ((webResourceName: string, key: string) => string | null | undefined) | undefined): ResourceLookup {
  return (key) => {
    if (!getResourceString) return null;
    try {
      const value = getResourceString(RESX_WEB_RESOURCE, key);
      return typeof value === 'string' ? value : null;
    } catch {
      return null;
    }
  };
}

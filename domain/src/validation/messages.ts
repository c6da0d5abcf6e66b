/**
 * What a coordinator reads: one message (the problem, naming the task) and one fix (what to do) per code and
 * language. Templates use named placeholders — `{taskName}`, or `{start:date}`, `{end:datetime}`, `{count:number}`
 * to have the value formatted for the template's language — so the ribbon's RESX and the bridge's error text can
 * be generated from the same table. A language without a template for a code falls back to 1033 (en-US).
 */
import type { ValidationCode } from './codes';
import type { ValidationParams } from './types';

export interface ValidationMessageTemplate {
  readonly message: string;
  readonly fix: string;
}

/** Dataverse language code (LCID). */
export type Lcid = number;

export const DEFAULT_LCID = 1033;

/** The templates of one language, and the locale its dates and numbers are formatted in. */
export interface ValidationLanguage {
  /** BCP 47 tag for Intl, e.g. en-US. */
  readonly locale: string;
  readonly templates: Readonly<Partial<Record<ValidationCode, ValidationMessageTemplate>>>;
}

/** Languages by LCID; 1033 has every code, so every other language may be partial. */
export type ValidationMessageCatalogue = { readonly [DEFAULT_LCID]: CompleteLanguage } & Readonly<Record<Lcid, ValidationLanguage>>;

type CompleteLanguage = ValidationLanguage & { readonly templates: Readonly<Record<ValidationCode, ValidationMessageTemplate>> };

const cantGo = 'Task “{taskName}” can’t go to the field:';

export const VALIDATION_MESSAGES: ValidationMessageCatalogue = {
  1033: {
    locale: 'en-US',
    templates: {
      summaryTask: {
        message: 'Task “{taskName}” is a summary task: its effort and dates roll up from its subtasks, and it is not field work',
        fix: 'Select its subtasks and mark them Ready to Sync instead',
      },
      alreadySyncing: {
        message: 'Task “{taskName}” is being sent to the field right now',
        fix: 'Wait until its Sync Status is Synced or Failed, then mark it Ready to Sync again',
      },
      missingEffort: {
        message: 'Task “{taskName}” has no estimated effort',
        fix: 'Set Effort on the task to the hours of work it needs',
      },
      effortNotPositive: {
        message: 'Task “{taskName}” has an effort of {effort:number} h; effort must be more than 0 h',
        fix: 'Set Effort on the task to the hours of work it needs',
      },
      missingStart: {
        message: 'Task “{taskName}” has no start date',
        fix: 'Set Start Date on the task',
      },
      invalidStart: {
        message: 'Task “{taskName}” has a start date that can’t be read (“{value}”)',
        fix: 'Set Start Date on the task again',
      },
      missingEnd: {
        message: 'Task “{taskName}” has no due date',
        fix: 'Set Due Date on the task',
      },
      invalidEnd: {
        message: 'Task “{taskName}” has a due date that can’t be read (“{value}”)',
        fix: 'Set Due Date on the task again',
      },
      startOutOfRange: {
        message: 'Task “{taskName}” starts on {start:date}, outside the dates Project Operations allows ({earliest:date} to {latest:date})',
        fix: 'Set Start Date on the task to a date from {earliest:date} to {latest:date}',
      },
      endOutOfRange: {
        message: 'Task “{taskName}” is due on {end:date}, outside the dates Project Operations allows ({earliest:date} to {latest:date})',
        fix: 'Set Due Date on the task to a date from {earliest:date} to {latest:date}',
      },
      endBeforeStart: {
        message: 'Task “{taskName}” is due on {end:datetime}, before it starts on {start:datetime}',
        fix: 'Set Due Date on the task to after its Start Date',
      },
      taskTooLong: {
        message: 'Task “{taskName}” spans {days:number} days, more than the {limit:number} days Project Operations allows for a task',
        fix: 'Split the task into tasks of at most {limit:number} days each',
      },
      noWorkingTime: {
        message:
          'Task “{taskName}” runs from {start:datetime} to {end:datetime}, which has no working time in the working hours of project “{projectName}” ({workingHours}, {timeZone})',
        fix: 'Move the task’s dates to cover a working day, or change Working Hours on project “{projectName}”',
      },
      taskInPast: {
        message: 'Task “{taskName}” was due on {end:date}, which has passed: its work orders will be for past dates',
        fix: 'If the work is still to be done, move the task’s dates; otherwise leave the task out of the sync',
      },
      noGenericResource: {
        message: 'Task “{taskName}” has no generic resource (role) assigned, so there is no field work to plan',
        fix: 'Assign a generic resource with the role that does the work to the task',
      },
      assignmentWithoutRole: {
        message: 'Task “{taskName}” has generic resource “{teamMemberName}” assigned without a role',
        fix: 'Set Role on team member “{teamMemberName}” of the project',
      },
      namedAssignment: {
        message:
          'Task “{taskName}” has named resource “{teamMemberName}” assigned; field work is planned from generic roles, so this assignment is ignored',
        fix: 'Leave it if the task’s generic resources cover the work, or replace “{teamMemberName}” with a generic resource of the same role',
      },
      tooManyResources: {
        message: 'Task “{taskName}” has {count:number} resources assigned, more than the {limit:number} Project Operations allows on a task',
        fix: 'Remove resources from the task until it has at most {limit:number}, or split the task',
      },
      roleNotFound: {
        message: 'Task “{taskName}” uses role “{roleName}”, which could not be found',
        fix: 'Check that role “{roleName}” still exists and that you have access to it, then try again',
      },
      roleWithoutWorkOrderType: {
        message: 'Task “{taskName}” uses role “{roleName}”, which has no work order type, so no work order can be created for it',
        fix: 'Set Work Order Type on role “{roleName}”, or assign a generic resource of a role that has one',
      },
      roleWithoutCharacteristic: {
        message: 'Task “{taskName}” uses role “{roleName}”, which has no required characteristic, so its work orders won’t ask for a skill',
        fix: 'Set Required Characteristic on role “{roleName}” if the work needs a skill or ticket',
      },
      projectNotFound: {
        message: `${cantGo} its project could not be found`,
        fix: 'Check that the task’s project still exists and that you have access to it, then try again',
      },
      projectNotFieldEnabled: {
        message: `${cantGo} project “{projectName}” is not enabled for field work`,
        fix: 'Set Field Enabled to Yes on project “{projectName}”',
      },
      projectWithoutServiceAccount: {
        message: `${cantGo} project “{projectName}” has no service account`,
        fix: 'Set Service Account on project “{projectName}” to the site where the work is done',
      },
      projectWithoutPriceList: {
        message: `${cantGo} project “{projectName}” has no field price list`,
        fix: 'Set Field Price List on project “{projectName}”',
      },
      projectWithoutTimeZone: {
        message: `${cantGo} project “{projectName}” has no site time zone`,
        fix: 'Set Site Time Zone on project “{projectName}” to the site’s IANA time zone, e.g. Australia/Sydney',
      },
      projectInvalidTimeZone: {
        message: `${cantGo} project “{projectName}” has site time zone “{timeZone}”, which is not an IANA time zone`,
        fix: 'Set Site Time Zone on project “{projectName}” to an IANA time zone, e.g. Australia/Sydney or Europe/London',
      },
      projectWithoutWorkingHours: {
        message: `${cantGo} project “{projectName}” has no working hours`,
        fix: 'Set Working Hours on project “{projectName}” to the site’s working days and hours, e.g. Mon-Fri 08:00-17:00',
      },
      projectInvalidWorkingHours: {
        message: `${cantGo} the working hours of project “{projectName}” can’t be read: {problem}`,
        fix: 'Set Working Hours on project “{projectName}” to days then hours, e.g. Mon-Fri 08:00-17:00 or Mon-Thu,Sat 07:00-15:30',
      },
      projectTooManyTasks: {
        message: `${cantGo} project “{projectName}” has {count:number} tasks, more than the {limit:number} Project Operations allows in a project`,
        fix: 'Move tasks of project “{projectName}” into another project until it has at most {limit:number}',
      },
    },
  },
};

export type ValidationPlaceholderFormat = 'text' | 'number' | 'date' | 'datetime';

export interface ValidationPlaceholder {
  readonly name: string;
  readonly format: ValidationPlaceholderFormat;
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)(?::(number|date|datetime))?\}/g;

/** The placeholders a template uses, in order of first use (message, then fix). */
export function placeholdersOf(code: ValidationCode, lcid: Lcid = DEFAULT_LCID, catalogue: ValidationMessageCatalogue = VALIDATION_MESSAGES): ValidationPlaceholder[] {
  const { template } = templateFor(code, lcid, catalogue);
  const seen = new Map<string, ValidationPlaceholder>();
  for (const text of [template.message, template.fix]) {
    for (const m of text.matchAll(PLACEHOLDER)) {
      const name = m[1] as string;
      if (!seen.has(name)) seen.set(name, { name, format: (m[2] as ValidationPlaceholderFormat | undefined) ?? 'text' });
    }
  }
  return [...seen.values()];
}

function templateFor(code: ValidationCode, lcid: Lcid, catalogue: ValidationMessageCatalogue): { template: ValidationMessageTemplate; language: ValidationLanguage; fallback: boolean } {
  const language = lcid === DEFAULT_LCID ? undefined : catalogue[lcid];
  const own = language?.templates[code];
  if (language && own) return { template: own, language, fallback: false };
  const english = catalogue[DEFAULT_LCID];
  return { template: english.templates[code], language: english, fallback: lcid !== DEFAULT_LCID };
}

// Intl formatters are costly to create and rendering runs once per issue: one per locale and format.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function formatter(locale: string, format: Exclude<ValidationPlaceholderFormat, 'text'>): Intl.NumberFormat | Intl.DateTimeFormat {
  const key = `${locale}|${format}`;
  let f = formatters.get(key);
  if (!f) {
    // Date params are already local to the site (`YYYY-MM-DD`, `YYYY-MM-DDTHH:mm`): format them as UTC so no zone shifts them again.
    f =
      format === 'number'
        ? new Intl.NumberFormat(locale, { maximumFractionDigits: 2 })
        : new Intl.DateTimeFormat(locale, format === 'date' ? { dateStyle: 'medium', timeZone: 'UTC' } : { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
    formatters.set(key, f);
  }
  return f;
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/;

function formatValue(value: string | number, format: ValidationPlaceholderFormat, locale: string): string {
  if (format === 'number') return typeof value === 'number' && Number.isFinite(value) ? (formatter(locale, 'number') as Intl.NumberFormat).format(value) : String(value);
  if (format === 'date' || format === 'datetime') {
    const m = typeof value === 'string' ? LOCAL_DATE.exec(value) : null;
    if (!m) return String(value);
    const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0));
    // ICU 72+ puts a narrow no-break space before AM/PM; a plain space reads the same and survives every channel.
    return (formatter(locale, format) as Intl.DateTimeFormat).format(utc).replace(/\u202f/g, ' ');
  }
  return String(value);
}

function fill(text: string, params: ValidationParams, locale: string): string {
  // One pass: a value that itself contains `{…}` (a task called "{draft}") is inserted as it is, never expanded.
  return text.replace(PLACEHOLDER, (whole, name: string, format: ValidationPlaceholderFormat | undefined) => {
    const value = params[name];
    return value === undefined ? whole : formatValue(value, format ?? 'text', locale);
  });
}

/**
 * The message and fix of a code in a language, in 1033 (and en-US formats) when that language has no template for
 * it. `catalogue` lets a caller bring languages of its own (e.g. read from the solution's RESX). A missing param
 * leaves its `{placeholder}` in the text rather than throwing: one bad message must not stop a whole selection.
 */
export function render(
  code: ValidationCode,
  params: ValidationParams,
  lcid: Lcid = DEFAULT_LCID,
  catalogue: ValidationMessageCatalogue = VALIDATION_MESSAGES,
): ValidationMessageTemplate {
  const { template, language } = templateFor(code, lcid, catalogue);
  return { message: fill(template.message, params, language.locale), fix: fill(template.fix, params, language.locale) };
}

/** One line for logs and pfb_lasterror: "Task “Install antenna” has no estimated effort — set Effort on the task …". */
export function formatIssue(
  issue: { readonly code: ValidationCode; readonly params: ValidationParams },
  lcid: Lcid = DEFAULT_LCID,
  catalogue: ValidationMessageCatalogue = VALIDATION_MESSAGES,
): string {
  const { message, fix } = render(issue.code, issue.params, lcid, catalogue);
  // Fixes start with a verb; mid-sentence English writes it in lower case (other languages keep their own casing).
  const english = templateFor(issue.code, lcid, catalogue).language === catalogue[DEFAULT_LCID];
  return `${message} — ${english ? fix.charAt(0).toLowerCase() + fix.slice(1) : fix}`;
}

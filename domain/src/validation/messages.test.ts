import fc from 'fast-check';
import { VALIDATION_CODES, type ValidationCode } from './codes';
import { DEFAULT_LCID, VALIDATION_MESSAGES, formatIssue, placeholdersOf, render, type ValidationMessageCatalogue, type ValidationPlaceholder } from './messages';

const LEFTOVER = /\{[A-Za-z][A-Za-z0-9]*(:[a-z]+)?\}/;

/** A value for a placeholder of the given format; text without braces, so any `{…}` left can only be the template's. */
function arbValue(p: ValidationPlaceholder): fc.Arbitrary<string | number> {
  switch (p.format) {
    case 'number':
      return fc.oneof(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }));
    case 'date':
      return fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case 'datetime':
      return fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 16));
    case 'text':
      return fc.string({ maxLength: 30 }).map((s) => s.replace(/[{}]/g, ''));
  }
}

const arbParams = (code: ValidationCode): fc.Arbitrary<Record<string, string | number>> =>
  fc.record(Object.fromEntries(placeholdersOf(code).map((p) => [p.name, arbValue(p)])) as Record<string, fc.Arbitrary<string | number>>);

describe('validation messages (1033)', () => {
  it('has a message and a fix for every code, and nothing else', () => {
    const templates = VALIDATION_MESSAGES[DEFAULT_LCID].templates;
    expect(Object.keys(templates).sort()).toEqual([...VALIDATION_CODES].sort());
    for (const code of VALIDATION_CODES) {
      expect(templates[code].message.trim()).not.toBe('');
      expect(templates[code].fix.trim()).not.toBe('');
    }
  });

  it.each(VALIDATION_CODES)('%s names the task in its message', (code) => {
    expect(VALIDATION_MESSAGES[DEFAULT_LCID].templates[code].message).toContain('“{taskName}”');
  });

  it('renders every code without a leftover placeholder, whatever the values', () => {
    for (const code of VALIDATION_CODES) {
      fc.assert(
        fc.property(arbParams(code), (params) => {
          const { message, fix } = render(code, params);
          expect(message).not.toMatch(LEFTOVER);
          expect(fix).not.toMatch(LEFTOVER);
          for (const p of placeholdersOf(code)) if (p.format === 'text') expect(`${message}\n${fix}`).toContain(String(params[p.name]));
        }),
        { numRuns: 50 },
      );
    }
  });

  it('formats numbers and dates for en-US', () => {
    expect(render('taskTooLong', { taskName: 'T', days: 1300, limit: 1250 }).message).toBe('Task “T” spans 1,300 days, more than the 1,250 days Project Operations allows for a task');
    expect(render('effortNotPositive', { taskName: 'T', effort: -2.5 }).message).toBe('Task “T” has an effort of -2.5 h; effort must be more than 0 h');
    expect(render('endBeforeStart', { taskName: 'T', start: '2027-04-04T14:30', end: '2027-04-02T09:05' }).message).toBe(
      'Task “T” is due on Apr 2, 2027, 9:05 AM, before it starts on Apr 4, 2027, 2:30 PM',
    );
  });

  it('inserts a value as it is, never expanding braces inside it', () => {
    expect(render('missingEffort', { taskName: '{fix} draft {taskName:number}' }).message).toBe('Task “{fix} draft {taskName:number}” has no estimated effort');
  });

  it('leaves a missing param visible rather than failing', () => {
    expect(render('roleNotFound', { taskName: 'T' }).message).toBe('Task “T” uses role “{roleName}”, which could not be found');
  });

  it('shows a value it cannot format as it is', () => {
    expect(render('startOutOfRange', { taskName: 'T', start: '+010000-01-01', earliest: '2000-01-01', latest: '2149-12-31' }).message).toBe(
      'Task “T” starts on +010000-01-01, outside the dates Project Operations allows (Jan 1, 2000 to Dec 31, 2149)',
    );
  });

  it('joins message and fix into one line for logs and pfb_lasterror', () => {
    expect(formatIssue({ code: 'missingEffort', params: { taskName: 'Install antenna' } })).toBe(
      'Task “Install antenna” has no estimated effort — set Effort on the task to the hours of work it needs',
    );
  });
});

describe('validation messages in other languages', () => {
  const german: ValidationMessageCatalogue = {
    ...VALIDATION_MESSAGES,
    1031: {
      locale: 'de-DE',
      templates: {
        effortNotPositive: { message: 'Vorgang „{taskName}“ hat einen Aufwand von {effort:number} h', fix: 'Aufwand am Vorgang setzen' },
        taskInPast: { message: 'Vorgang „{taskName}“ war am {end:date} fällig', fix: 'Termine des Vorgangs verschieben' },
      },
    },
  };

  it('falls back to 1033 for a language with no templates', () => {
    for (const code of VALIDATION_CODES) {
      const params = { taskName: 'T', projectName: 'P', roleName: 'R', teamMemberName: 'M', count: 21, limit: 20, days: 1300 };
      expect(render(code, params, 1036)).toEqual(render(code, params));
    }
  });

  it('uses a language’s own template and formats, and 1033 for the codes it lacks', () => {
    expect(render('effortNotPositive', { taskName: 'Antenne montieren', effort: -2.5 }, 1031, german)).toEqual({
      message: 'Vorgang „Antenne montieren“ hat einen Aufwand von -2,5 h',
      fix: 'Aufwand am Vorgang setzen',
    });
    expect(render('taskInPast', { taskName: 'A', end: '2027-03-30' }, 1031, german).message).toBe('Vorgang „A“ war am 30.03.2027 fällig');
    expect(render('missingEffort', { taskName: 'A' }, 1031, german).message).toBe('Task “A” has no estimated effort');
    expect(formatIssue({ code: 'effortNotPositive', params: { taskName: 'A', effort: 0 } }, 1031, german)).toBe('Vorgang „A“ hat einen Aufwand von 0 h — Aufwand am Vorgang setzen');
  });

  it('lists the placeholders of a template with their formats', () => {
    expect(placeholdersOf('taskInPast')).toEqual([
      { name: 'taskName', format: 'text' },
      { name: 'end', format: 'date' },
    ]);
  });
});

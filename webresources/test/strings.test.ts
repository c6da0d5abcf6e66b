/** The RESX web resource and the strings read from it: complete, well formed, and used before the built-in text. */
import fs from 'node:fs';
import { VALIDATION_CODES, VALIDATION_MESSAGES, type ValidationIssue } from '@pfb/domain';
import { parseResx } from '../../sandbox/xrm/src/context/resources';
import { SCRIPT_STRINGS } from '../src/strings/catalogue';
import { placeholders } from '../src/strings/format';
import { createStrings, resxLookup, validationKey } from '../src/strings/localize';
import { syncStatusNotification } from '../src/forms/syncStatusNotification';
import { SyncStatus } from '@pfb/domain';
import { RESX_FILE } from './support/xrmHarness';
import { validate } from './support/xmllint';

const resx = parseResx(fs.readFileSync(RESX_FILE, 'utf8'));

describe('pfb_/strings/ribbon.1033.resx', () => {
  it('is well-formed XML in the ResX layout', () => {
    const xml = fs.readFileSync(RESX_FILE, 'utf8');
    expect(xml).toMatch(/<resheader name="resmimetype">\s*<value>text\/microsoft-resx<\/value>/);
    // Any schema will do to make xmllint parse it: a well-formedness error is reported before the schema is applied.
    expect(validate(xml, 'RibbonCore.xsd').output).not.toMatch(/parser error/);
  });

  it('carries every script string and every validation message and fix, as the catalogues have them', () => {
    for (const [key, value] of Object.entries(SCRIPT_STRINGS)) expect(resx.get(key)).toBe(value);
    for (const code of VALIDATION_CODES) {
      expect(resx.get(validationKey(code, 'message'))).toBe(VALIDATION_MESSAGES[1033].templates[code].message);
      expect(resx.get(validationKey(code, 'fix'))).toBe(VALIDATION_MESSAGES[1033].templates[code].fix);
    }
  });

  it('has a plural for every singular sentence, the plural counting with {count}', () => {
    const singular = Object.keys(SCRIPT_STRINGS).filter((k) => k.endsWith('.one'));
    expect(singular.length).toBeGreaterThan(10);
    for (const key of singular) {
      const other = SCRIPT_STRINGS[`${key.slice(0, -4)}.other` as keyof typeof SCRIPT_STRINGS];
      expect(other).toBeDefined();
      expect(placeholders(other)).toContain('count');
    }
  });
});

describe('createStrings', () => {
  it('prefers the RESX (a translation) and falls back to the built-in text for a missing key or a missing RESX', () => {
    const german = new Map([['nothing.title', 'Bereit zur Synchronisierung'], ['notify.queued.other', '{count} Vorgänge zur Synchronisierung vorgemerkt.']]);
    const s = createStrings(1031, (key) => german.get(key) ?? null);
    expect(s.t('nothing.title')).toBe('Bereit zur Synchronisierung');
    expect(s.plural('notify.queued', 1200)).toBe('1.200 Vorgänge zur Synchronisierung vorgemerkt.');
    expect(s.t('dialog.ok')).toBe('OK');
    const missing = createStrings(1033, resxLookup(() => {
      throw new Error('pfb_/strings/ribbon does not exist.');
    }));
    expect(missing.t('problems.cancel')).toBe('Cancel');
  });

  it('words validation issues from the RESX templates of the user’s language when it has them', () => {
    const issue: ValidationIssue = { taskId: 't', taskName: 'Antenne montieren', code: 'missingEffort', field: 'msdyn_effort', severity: 'error', message: '', fix: '', params: { taskName: 'Antenne montieren' } };
    const german = new Map([
      [validationKey('missingEffort', 'message'), 'Vorgang „{taskName}“ hat keinen geschätzten Aufwand'],
      [validationKey('missingEffort', 'fix'), 'Aufwand am Vorgang eintragen'],
    ]);
    expect(createStrings(1031, (k) => german.get(k) ?? null).issue(issue)).toBe('Vorgang „Antenne montieren“ hat keinen geschätzten Aufwand — Aufwand am Vorgang eintragen');
    expect(createStrings(1033).issue(issue)).toBe('Task “Antenne montieren” has no estimated effort — set Effort on the task to the hours of work it needs');
  });
});

describe('the sync status form notification', () => {
  const s = createStrings(1033);
  it.each([
    [SyncStatus.ReadyToSync, 'INFO', /^Ready to Sync: queued for the field on Mar 1, 2027/],
    [SyncStatus.Syncing, 'INFO', /^Syncing: /],
    [SyncStatus.Synced, 'INFO', /^Synced: work orders in the field: 6; last synced on Mar 2, 2027/],
    [SyncStatus.Failed, 'ERROR', /^Sync failed: Task “Install antenna” was not synced: Dataverse refused/],
    [SyncStatus.OutOfDate, 'WARNING', /^Out of date: /],
    [SyncStatus.Cancelled, 'WARNING', /^Field work cancelled: /],
  ])('status %i → %s', (status, level, message) => {
    const n = syncStatusNotification(
      { status, requestedOn: '2027-03-01T10:00:00Z', lastSyncedOn: new Date('2027-03-02T10:00:00Z'), plannedWorkOrders: 6, lastError: 'Task “Install antenna” was not synced: Dataverse refused the work orders.' },
      s,
    );
    expect(n?.level).toBe(level);
    expect(n?.message).toMatch(message);
  });

  it('a failed row without a recorded error still says what to do; no status, no notification', () => {
    expect(syncStatusNotification({ status: SyncStatus.Failed, lastError: ' ' }, s)?.message).toBe('Sync failed. Open the task sync row for the reason, fix it, then choose Ready to Sync again.');
    expect(syncStatusNotification({ status: null }, s)).toBeNull();
  });
});

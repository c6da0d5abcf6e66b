/**
 * The text of the dialogs and notifications, built from the plan: one line per issue (the message names the task, then
 * its fix), grouped under what happens to those tasks. Plain text: `Xrm.Navigation.openConfirmDialog` shows `text`
 * as text, line breaks kept.
 */
import type { TaskWithIssues, ValidationIssue } from '@pfb/domain';
import type { StringKey } from '../strings/catalogue';
import type { Strings } from '../strings/localize';
import type { SkippedTask } from './plan';
import type { CancelSkipReason, SkipReason } from './syncStates';

const SKIP_TEXT: Readonly<Record<SkipReason | CancelSkipReason, StringKey>> = {
  alreadyQueued: 'skip.alreadyQueued',
  syncing: 'skip.syncing',
  synced: 'skip.synced',
  cancelled: 'skip.cancelled',
  notFound: 'skip.notFound',
  invalidId: 'skip.invalidId',
  outsideProject: 'skip.outsideProject',
  notInField: 'skip.notInField',
  alreadyCancelled: 'skip.alreadyCancelled',
  syncingNow: 'skip.syncingNow',
};

export function skipReason(strings: Strings, skipped: { readonly taskId: string; readonly taskName: string; readonly reason: SkipReason | CancelSkipReason }): string {
  return strings.t(SKIP_TEXT[skipped.reason], { taskId: skipped.taskId, taskName: skipped.taskName });
}

const bullet = (line: string): string => `• ${line}`;

/** Every error of every refused task, one line each (the task, the problem, the fix). */
export function issueLines(strings: Strings, invalid: readonly TaskWithIssues[]): string[] {
  return invalid.flatMap((t) => t.issues.filter((i) => i.severity === 'error').map((i) => bullet(strings.issue(i))));
}

export function warningLines(strings: Strings, warnings: readonly ValidationIssue[]): string[] {
  return warnings.map((w) => bullet(strings.issue(w)));
}

/** The confirm dialog when some tasks are refused or warned about, and others can go. */
export function problemsDialog(
  strings: Strings,
  plan: { readonly invalid: readonly TaskWithIssues[]; readonly warnings: readonly ValidationIssue[]; readonly toQueueCount: number },
): { title: string; text: string; confirmLabel: string; cancelLabel: string } {
  const parts: string[] = [];
  if (plan.invalid.length) parts.push([strings.plural('problems.intro', plan.invalid.length), ...issueLines(strings, plan.invalid)].join('\n'));
  if (plan.warnings.length) parts.push([strings.t('warnings.intro'), ...warningLines(strings, plan.warnings)].join('\n'));
  return {
    title: plan.invalid.length ? strings.t('problems.title') : strings.t('warnings.title'),
    text: parts.join('\n\n'),
    confirmLabel: plan.invalid.length ? strings.plural('problems.continue', plan.toQueueCount) : strings.plural('warnings.continue', plan.toQueueCount),
    cancelLabel: strings.t('problems.cancel'),
  };
}

/** The alert when no task can go: every problem, so the coordinator can fix them all in one pass. */
export function noneValidDialog(strings: Strings, invalid: readonly TaskWithIssues[], skipped: readonly SkippedTask[]): { title: string; text: string } {
  const parts = [[strings.plural('problems.intro', invalid.length), ...issueLines(strings, invalid)].join('\n')];
  if (skipped.length) parts.push(skipped.map((s) => bullet(skipReason(strings, s))).join('\n'));
  return { title: strings.t('problems.noneTitle'), text: parts.join('\n\n') };
}

/** The notification after a write: what was queued, what was not and why to look. */
export function queuedNotification(strings: Strings, counts: { readonly queued: number; readonly notSent: number; readonly skipped: number }): string {
  const parts = [strings.plural('notify.queued', counts.queued)];
  if (counts.notSent) parts.push(strings.plural('notify.notSent', counts.notSent));
  if (counts.skipped) parts.push(strings.plural('notify.skipped', counts.skipped));
  return parts.join(' ');
}

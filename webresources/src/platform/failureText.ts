/**
 * A Dataverse failure as a coordinator reads it: what did not happen, which task it concerns (when Dataverse's
 * message names a record we know), the cause in Dataverse's own words with its code, and the next step.
 */
import type { Strings } from '../strings/localize';
import type { StringKey } from '../strings/catalogue';
import type { DataverseFailure, FailureKind } from './dataverseError';

export type FailedAction = 'readyToSync' | 'cancel' | 'read';

const NEXT_STEP: Readonly<Record<Exclude<FailureKind, 'throttled'>, StringKey>> = {
  privilege: 'error.next.privilege',
  notFound: 'error.next.notFound',
  conflict: 'error.next.conflict',
  invalid: 'error.next.invalid',
  network: 'error.next.network',
  unknown: 'error.next.unknown',
};

const TITLE: Readonly<Record<FailedAction, StringKey>> = {
  readyToSync: 'error.title.readyToSync',
  cancel: 'error.title.cancel',
  read: 'error.title.read',
};

export function failureTitle(action: FailedAction, strings: Strings): string {
  return strings.t(TITLE[action]);
}

export function describeFailure(
  failure: DataverseFailure,
  strings: Strings,
  context: { readonly action: FailedAction; readonly count: number; readonly taskNames: ReadonlyMap<string, string> },
): string {
  const lines: string[] = [];
  if (context.action === 'read') lines.push(strings.t('error.readFailed'));
  else lines.push(strings.t(context.action === 'cancel' ? 'error.nothingWritten.cancel' : 'error.nothingWritten.readyToSync', { count: context.count }));
  const named = failure.recordIds.map((id) => context.taskNames.get(id)).find((n): n is string => n !== undefined);
  if (named) lines.push(strings.t('error.record', { taskName: named }));
  lines.push(failure.code ? strings.t('error.causeWithCode', { message: failure.message, code: failure.code }) : strings.t('error.cause', { message: failure.message }));
  if (failure.kind === 'throttled') {
    lines.push(failure.retryAfterSeconds ? strings.t('error.next.throttled', { seconds: failure.retryAfterSeconds }) : strings.t('error.next.throttledNoTime'));
  } else {
    lines.push(strings.t(NEXT_STEP[failure.kind]));
  }
  return lines.join('\n\n');
}

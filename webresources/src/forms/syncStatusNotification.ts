/**
 * The form notification that tells a coordinator where a task stands in the field: one per sync status, the error
 * level for a failed sync with the bridge's own reason (pfb_lasterror names the task, the step and what to do).
 */
import { SyncStatus } from '@pfb/domain';
import type { Strings } from '../strings/localize';

/** formContext.ui.setFormNotification levels. */
export type FormNotificationLevel = 'ERROR' | 'WARNING' | 'INFO';

export interface SyncRowState {
  readonly status: number | null;
  readonly lastError?: string | null;
  readonly requestedOn?: Date | string | null;
  readonly lastSyncedOn?: Date | string | null;
  readonly plannedWorkOrders?: number | null;
}

/** The one notification id the scripts use, so a new status replaces the old one. */
export const SYNC_NOTIFICATION_ID = 'pfb_syncstatus';

export function syncStatusNotification(row: SyncRowState, strings: Strings): { level: FormNotificationLevel; message: string } | null {
  switch (row.status) {
    case SyncStatus.ReadyToSync:
      return { level: 'INFO', message: strings.t('form.status.readyToSync', { requestedOn: strings.date(row.requestedOn) }) };
    case SyncStatus.Syncing:
      return { level: 'INFO', message: strings.t('form.status.syncing') };
    case SyncStatus.Synced:
      return {
        level: 'INFO',
        message: strings.t('form.status.synced', { plannedWorkOrders: row.plannedWorkOrders ?? 0, lastSyncedOn: strings.date(row.lastSyncedOn) }),
      };
    case SyncStatus.Failed:
      return row.lastError && row.lastError.trim() !== ''
        ? { level: 'ERROR', message: strings.t('form.status.failed', { lastError: row.lastError.trim() }) }
        : { level: 'ERROR', message: strings.t('form.status.failedNoDetail') };
    case SyncStatus.OutOfDate:
      return { level: 'WARNING', message: strings.t('form.status.outOfDate') };
    case SyncStatus.Cancelled:
      return { level: 'WARNING', message: strings.t('form.status.cancelled') };
    default:
      return null;
  }
}

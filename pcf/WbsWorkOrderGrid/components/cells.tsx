/** Small cell renderers: status badges, actual-vs-estimate with its variance, and % complete. */
import * as React from 'react';
import { Badge, mergeClasses, type BadgeProps } from '@fluentui/react-components';
import { FieldStatus, SyncStatus, WorkOrderSystemStatus } from '../../shared/schemaNames';
import { fill } from '../../shared/strings';
import type { Formatter } from '../../shared/format';
import type { GridStrings } from '../gridStrings';
import type { TaskSyncInfo } from '../model/types';
import { useGridStyles } from './styles';

type BadgeColor = NonNullable<BadgeProps['color']>;

const SYNC_COLOR: ReadonlyMap<number, BadgeColor> = new Map<number, BadgeColor>([
  [SyncStatus.ReadyToSync, 'informative'],
  [SyncStatus.Syncing, 'brand'],
  [SyncStatus.Synced, 'success'],
  [SyncStatus.Failed, 'danger'],
  [SyncStatus.OutOfDate, 'warning'],
  [SyncStatus.Cancelled, 'subtle'],
]);

const FIELD_COLOR: ReadonlyMap<number, BadgeColor> = new Map<number, BadgeColor>([
  [FieldStatus.NotStarted, 'subtle'],
  [FieldStatus.InProgress, 'brand'],
  [FieldStatus.Completed, 'success'],
  [FieldStatus.Incomplete, 'warning'],
]);

const WORK_ORDER_COLOR: ReadonlyMap<number, BadgeColor> = new Map<number, BadgeColor>([
  [WorkOrderSystemStatus.Unscheduled, 'subtle'],
  [WorkOrderSystemStatus.Scheduled, 'informative'],
  [WorkOrderSystemStatus.InProgress, 'brand'],
  [WorkOrderSystemStatus.Completed, 'success'],
  [WorkOrderSystemStatus.Posted, 'success'],
  [WorkOrderSystemStatus.Canceled, 'subtle'],
]);

/** Labels of our own choices from the RESX, for filters and when a row carries no formatted value. */
export function syncStatusLabel(strings: GridStrings, value: number): string {
  const key = (Object.keys(SyncStatus) as (keyof typeof SyncStatus)[]).find((k) => SyncStatus[k] === value);
  return key ? strings[`SyncStatus_${key}`] : String(value);
}

export function fieldStatusLabel(strings: GridStrings, value: number): string {
  const key = (Object.keys(FieldStatus) as (keyof typeof FieldStatus)[]).find((k) => FieldStatus[k] === value);
  return key ? strings[`FieldStatus_${key}`] : String(value);
}

export const StatusBadge = React.memo(function StatusBadge(props: { kind: 'sync' | 'field' | 'workorder'; value: number | null; label: string | null }): React.ReactElement | null {
  if (props.value === null) return null;
  const colors = props.kind === 'sync' ? SYNC_COLOR : props.kind === 'field' ? FIELD_COLOR : WORK_ORDER_COLOR;
  return (
    <Badge appearance="tint" shape="rounded" color={colors.get(props.value) ?? 'informative'} size="medium">
      {props.label ?? String(props.value)}
    </Badge>
  );
});

/** "18.5 of 16 h" and the variance, red when over the estimate and green when under, said in words to screen readers. */
export const ActualVsEstimate = React.memo(function ActualVsEstimate(props: {
  sync: TaskSyncInfo | undefined;
  estimate: number | null;
  strings: GridStrings;
  fmt: Formatter;
}): React.ReactElement | null {
  const styles = useGridStyles();
  const { sync, strings, fmt } = props;
  const estimate = sync?.plannedEffort ?? props.estimate;
  const actual = sync?.actualEffort ?? null;
  if (actual === null || estimate === null) return null;
  const variance = sync?.effortVariance ?? actual - estimate;
  const pct = sync?.effortVariancePct ?? (estimate !== 0 ? (variance / estimate) * 100 : 0);
  const text = fill(strings.Actual_Of, { actual: fmt.hours(actual), estimate: fmt.hours(estimate) });
  const said =
    variance > 0
      ? fill(strings.Variance_Over, { hours: fmt.hours(variance), pct: fmt.percent(Math.abs(pct), 1) })
      : variance < 0
        ? fill(strings.Variance_Under, { hours: fmt.hours(-variance), pct: fmt.percent(Math.abs(pct), 1) })
        : strings.Variance_On;
  return (
    <span className={styles.ellipsis} title={`${text} — ${said}`}>
      <span>{text}</span>{' '}
      {variance !== 0 ? (
        <span className={variance > 0 ? styles.over : styles.under} aria-label={said}>
          {fmt.signedHours(variance)} ({fmt.signedPercent(pct)})
        </span>
      ) : (
        <span className={styles.muted}>{said}</span>
      )}
    </span>
  );
});

export const PercentComplete = React.memo(function PercentComplete(props: { value: number | null; strings: GridStrings; fmt: Formatter }): React.ReactElement | null {
  const styles = useGridStyles();
  if (props.value === null) return null;
  const v = Math.max(0, Math.min(100, props.value));
  return (
    <>
      <span className={styles.barTrack} aria-hidden="true">
        <span className={mergeClasses(styles.barFill, v >= 100 && styles.barDone)} style={{ width: `${v}%`, display: 'block' }} />
      </span>
      <span>{props.fmt.percent(v)}</span>
    </>
  );
});

/** The record's roll-up: % complete, x of y completed, actual vs estimated effort, variance, actual start and end. */
import * as React from 'react';
import { ProgressBar } from '@fluentui/react-components';
import type { Formatter } from '../../shared/format';
import { fill } from '../../shared/strings';
import type { PanelStrings } from '../panelStrings';
import type { SummaryView } from '../model/types';
import { usePanelStyles } from './styles';

export const SummaryTiles = React.memo(function SummaryTiles(props: { summary: SummaryView; strings: PanelStrings; fmt: Formatter }): React.ReactElement {
  const styles = usePanelStyles();
  const { summary: s, strings, fmt } = props;
  const none = strings.NoValue;
  const pct = s.percentComplete;
  const variance = s.variance;
  const variancePct = s.variancePct !== null ? fmt.percent(Math.abs(s.variancePct), 1) : '';
  const varianceText =
    variance === null
      ? none
      : variance > 0
        ? fill(strings.Variance_Over, { hours: fmt.hours(variance), pct: variancePct })
        : variance < 0
          ? fill(strings.Variance_Under, { hours: fmt.hours(-variance), pct: variancePct })
          : strings.Variance_On;
  const tile = (label: string, value: React.ReactNode, testId: string, extra?: React.ReactNode): React.ReactElement => (
    <div className={styles.tile} data-testid={testId}>
      <dt className={styles.tileLabel}>{label}</dt>
      <dd className={styles.tileValue}>{value}</dd>
      {extra}
    </div>
  );
  return (
    <dl className={styles.tiles} aria-label={strings.Summary_Label}>
      {tile(
        strings.Summary_PercentComplete,
        pct !== null ? fmt.percent(pct) : none,
        'summary-percent',
        pct !== null ? <ProgressBar value={Math.max(0, Math.min(100, pct)) / 100} thickness="large" aria-hidden="true" /> : null,
      )}
      {tile(strings[`Summary_Completed_${s.countKind}`], s.completed !== null && s.total !== null ? fill(strings.Count_Of, { completed: s.completed, total: s.total }) : none, 'summary-completed')}
      {tile(
        strings.Summary_Effort,
        s.actualEffort !== null || s.estimatedEffort !== null
          ? fill(strings.Effort_Of, { actual: s.actualEffort !== null ? fmt.hours(s.actualEffort) : none, estimate: s.estimatedEffort !== null ? fmt.hours(s.estimatedEffort) : none })
          : none,
        'summary-effort',
      )}
      {tile(strings.Summary_Variance, <span className={variance !== null && variance > 0 ? styles.over : variance !== null && variance < 0 ? styles.under : undefined}>{varianceText}</span>, 'summary-variance')}
      {tile(strings.Summary_ActualStart, s.actualStart ?? none, 'summary-start')}
      {tile(strings.Summary_ActualEnd, s.actualEnd ?? none, 'summary-end')}
      {s.lastUpdate !== null ? tile(strings.Summary_LastUpdate, s.lastUpdate, 'summary-last-update') : null}
      {s.statusLabel !== null ? tile(strings.Summary_Status, s.statusLabel, 'summary-status') : null}
    </dl>
  );
});

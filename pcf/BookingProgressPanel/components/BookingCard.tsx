/** One booking: who, when, its stages, actual against planned effort and why it ended Incomplete. */
import * as React from 'react';
import { Badge, MessageBar, MessageBarBody } from '@fluentui/react-components';
import type { Formatter } from '../../shared/format';
import { fill } from '../../shared/strings';
import type { PanelStrings } from '../panelStrings';
import type { BookingView } from '../model/types';
import { StageStepper } from './StageStepper';
import { usePanelStyles } from './styles';

export const BookingCard = React.memo(function BookingCard(props: { booking: BookingView; strings: PanelStrings; fmt: Formatter; headingLevel: 3 | 4 }): React.ReactElement {
  const styles = usePanelStyles();
  const { booking: b, strings, fmt } = props;
  const Heading = props.headingLevel === 3 ? 'h3' : 'h4';
  const range = (start: string | null, end: string | null): string => (start || end ? `${start ?? strings.NoValue} – ${end ?? strings.NoValue}` : strings.NoValue);
  const effort =
    b.actualEffort !== null && b.plannedEffort !== null
      ? fill(strings.Hours_Of, { actual: fmt.hours(b.actualEffort), planned: fmt.hours(b.plannedEffort) })
      : b.actualEffort !== null
        ? `${fmt.hours(b.actualEffort)} h`
        : b.plannedEffort !== null
          ? fill(strings.Hours_Of, { actual: strings.NoValue, planned: fmt.hours(b.plannedEffort) })
          : strings.NoValue;
  const over = b.actualEffort !== null && b.plannedEffort !== null ? b.actualEffort - b.plannedEffort : 0;
  return (
    <li className={styles.card} data-testid="booking-card" data-booking-id={b.id}>
      <div className={styles.cardHeader}>
        <Heading className={styles.cardTitle}>{b.name}</Heading>
        {b.stageLabel ? (
          <Badge appearance="tint" color={b.stage === 'Complete' ? 'success' : b.stage === 'Incomplete' ? 'warning' : 'brand'}>
            {b.stageLabel}
          </Badge>
        ) : null}
        {b.bookingStatus ? <span className={styles.meta}>{b.bookingStatus}</span> : null}
      </div>
      <dl className={styles.facts}>
        {b.bookingName && b.bookingName !== b.name ? (
          <div className={styles.fact}>
            <dt className={styles.factLabel}>{strings.Booking_Name}</dt>
            <dd className={styles.factValue}>{b.bookingName}</dd>
          </div>
        ) : null}
        <div className={styles.fact}>
          <dt className={styles.factLabel}>{strings.Booking_Technician}</dt>
          <dd className={styles.factValue}>{b.technician ?? strings.NoValue}</dd>
        </div>
        <div className={styles.fact}>
          <dt className={styles.factLabel}>{strings.Booking_Scheduled}</dt>
          <dd className={styles.factValue}>{range(b.scheduled.start, b.scheduled.end)}</dd>
        </div>
        <div className={styles.fact}>
          <dt className={styles.factLabel}>{strings.Booking_Actual}</dt>
          <dd className={styles.factValue}>{range(b.actualStart, b.actualEnd)}</dd>
        </div>
        <div className={styles.fact}>
          <dt className={styles.factLabel}>{strings.Booking_Effort}</dt>
          <dd className={styles.factValue}>
            <span className={over > 0 ? styles.over : over < 0 ? styles.under : undefined}>{effort}</span>
          </dd>
        </div>
      </dl>
      <StageStepper steps={b.steps} bookingName={b.name} strings={strings} />
      {b.stage === 'Incomplete' && b.incompleteReason ? (
        <MessageBar intent="warning">
          <MessageBarBody>{fill(strings.Booking_IncompleteReason, { reason: b.incompleteReason })}</MessageBarBody>
        </MessageBar>
      ) : null}
    </li>
  );
});

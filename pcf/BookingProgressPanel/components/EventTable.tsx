/** The most recent field events of the bookings shown: when, which booking, which stage, and what the bridge made of it. */
import * as React from 'react';
import { Badge } from '@fluentui/react-components';
import { EventOutcome } from '../../shared/schemaNames';
import type { PanelStrings } from '../panelStrings';
import type { EventView } from '../model/types';
import { usePanelStyles } from './styles';

export const EventTable = React.memo(function EventTable(props: { events: readonly EventView[]; strings: PanelStrings; captionId: string }): React.ReactElement {
  const styles = usePanelStyles();
  const { strings } = props;
  const color = (o: number | null): 'success' | 'subtle' | 'warning' | 'danger' =>
    o === EventOutcome.Applied ? 'success' : o === EventOutcome.Duplicate ? 'subtle' : o === EventOutcome.Stale ? 'warning' : 'danger';
  return (
    <table className={styles.table} aria-labelledby={props.captionId} data-testid="event-table">
      <thead>
        <tr>
          <th className={styles.th} scope="col">{strings.Event_Occurred}</th>
          <th className={styles.th} scope="col">{strings.Event_Booking}</th>
          <th className={styles.th} scope="col">{strings.Event_Stage}</th>
          <th className={styles.th} scope="col">{strings.Event_Outcome}</th>
          <th className={styles.th} scope="col">{strings.Event_Received}</th>
        </tr>
      </thead>
      <tbody>
        {props.events.map((e) => (
          <tr key={e.id}>
            <td className={styles.td}>{e.occurredOn ?? strings.NoValue}</td>
            <td className={styles.td}>{e.bookingName}</td>
            <td className={styles.td}>{e.stageLabel}</td>
            <td className={styles.td}>
              {e.outcome !== null ? (
                <Badge appearance="tint" color={color(e.outcome)}>
                  {e.outcomeLabel ?? String(e.outcome)}
                </Badge>
              ) : (
                strings.NoValue
              )}
            </td>
            <td className={styles.td}>{e.receivedOn ?? strings.NoValue}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
});

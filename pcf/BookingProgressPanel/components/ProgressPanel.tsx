/**
 * The booking progress panel: summary, bookings with their stage steppers, recent field events; loading, empty and
 * error states; refreshes on an interval while visible. Knows nothing of PCF: it gets a loader and plain props.
 */
import * as React from 'react';
import { Button, MessageBar, MessageBarActions, MessageBarBody, Spinner, Text, useId, type Theme } from '@fluentui/react-components';
import type { Formatter } from '../../shared/format';
import { fill } from '../../shared/strings';
import { ThemedRoot } from '../../shared/theme';
import type { PanelStrings } from '../panelStrings';
import type { ProgressView } from '../model/types';
import { BookingCard } from './BookingCard';
import { EventTable } from './EventTable';
import { usePanelStyles } from './styles';
import { SummaryTiles } from './SummaryTiles';
import { useAutoRefresh } from './useAutoRefresh';

export type PanelState = { kind: 'ready'; load: () => Promise<ProgressView> } | { kind: 'unsupported' } | { kind: 'new-record' };

export interface ProgressPanelProps {
  readonly state: PanelState;
  readonly refreshMs: number;
  /** The host shows the control (context.mode.isVisible). */
  readonly visible: boolean;
  readonly strings: PanelStrings;
  readonly fmt: Formatter;
  readonly theme?: Theme;
  readonly width: number | null;
}

export function ProgressPanel(props: ProgressPanelProps): React.ReactElement {
  const styles = usePanelStyles();
  const { strings, fmt } = props;
  const load = props.state.kind === 'ready' ? props.state.load : null;
  const data = useAutoRefresh(load, props.refreshMs, props.visible);
  const headingId = useId('progress-heading');
  const bookingsId = useId('progress-bookings');
  const eventsId = useId('progress-events');
  const view = data.value;

  let body: React.ReactNode;
  if (props.state.kind === 'unsupported') body = <Text className={styles.centre}>{strings.Empty_Unsupported}</Text>;
  else if (props.state.kind === 'new-record') body = <Text className={styles.centre}>{strings.Empty_NewRecord}</Text>;
  else if (!view && data.error)
    body = (
      <MessageBar intent="error">
        <MessageBarBody>{fill(strings.Error_Load, { message: data.error })}</MessageBarBody>
        <MessageBarActions>
          <Button onClick={data.refresh}>{strings.Retry}</Button>
        </MessageBarActions>
      </MessageBar>
    );
  else if (!view) body = <Spinner size="small" label={strings.Loading} className={styles.centre} />;
  else if (view.notInField) body = <Text className={styles.centre}>{strings.Empty_NotInField}</Text>;
  else
    body = (
      <>
        {data.error ? (
          <MessageBar intent="warning">
            <MessageBarBody>{fill(strings.Error_Stale, { time: data.updatedAt ? fmt.time(data.updatedAt) : '', message: data.error })}</MessageBarBody>
            <MessageBarActions>
              <Button onClick={data.refresh}>{strings.Retry}</Button>
            </MessageBarActions>
          </MessageBar>
        ) : null}
        {view.summary ? <SummaryTiles summary={view.summary} strings={strings} fmt={fmt} /> : null}
        <section aria-labelledby={bookingsId}>
          <h3 id={bookingsId} className={styles.sectionHeading}>
            {strings.Bookings_Heading}
          </h3>
          {view.bookings.length === 0 ? (
            <Text className={styles.meta}>{strings.Empty_NoBookings}</Text>
          ) : (
            <ul className={styles.list}>
              {view.bookings.map((b) => (
                <BookingCard key={b.id} booking={b} strings={strings} fmt={fmt} headingLevel={4} />
              ))}
            </ul>
          )}
          {view.bookingsLimited ? <Text className={styles.meta}>{fill(strings.Bookings_Limited, { count: view.bookings.length })}</Text> : null}
        </section>
        <section aria-labelledby={eventsId}>
          <h3 id={eventsId} className={styles.sectionHeading}>
            {strings.Events_Heading}
          </h3>
          {view.events.length === 0 ? <Text className={styles.meta}>{strings.Events_None}</Text> : <EventTable events={view.events} strings={strings} captionId={eventsId} />}
        </section>
      </>
    );

  return (
    <ThemedRoot theme={props.theme}>
      <section className={styles.root} aria-labelledby={headingId} style={{ width: props.width ?? undefined, maxWidth: '100%' }} data-testid="progress-panel" aria-busy={data.busy}>
        <div className={styles.header}>
          <h2 id={headingId} className={styles.heading}>
            {view?.title ? `${strings.Heading} · ${view.title}` : strings.Heading}
          </h2>
          <span className={styles.updated} role="status" aria-live="polite" data-testid="progress-updated">
            {data.busy && view ? strings.Refreshing : data.updatedAt ? fill(strings.Updated, { time: fmt.time(data.updatedAt) }) : ''}
          </span>
          {props.state.kind === 'ready' ? (
            <Button size="small" onClick={data.refresh} disabled={data.busy}>
              {strings.Refresh}
            </Button>
          ) : null}
        </div>
        {body}
      </section>
    </ThemedRoot>
  );
}

/**
 * BookingProgressPanel — platform glue only: finds the form's record (context.mode.contextInfo), builds the Web API
 * loader for it, and returns the React element with the refresh interval and visibility the platform gives.
 */
import * as React from 'react';
import { allocatedSize, recordContextOf } from '../shared/platform';
import { createFormatter, localeOf, type Formatter } from '../shared/format';
import { readStrings } from '../shared/strings';
import { themeOf } from '../shared/theme';
import { ProgressPanel, type PanelState, type ProgressPanelProps } from './components/ProgressPanel';
import { DEFAULT_MAX_BOOKINGS, DEFAULT_MAX_EVENTS, DEFAULT_REFRESH_SECONDS, MIN_REFRESH_SECONDS, type IInputs, type IOutputs } from './manifest';
import { PANEL_STRING_KEYS, type PanelStrings } from './panelStrings';
import { createProgressLoader, scopeOf } from './platform/loadProgress';

export class BookingProgressPanel implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private strings!: PanelStrings;
  private fmt!: Formatter;
  private stateKey = '';
  private state: PanelState = { kind: 'unsupported' };

  public init(context: ComponentFramework.Context<IInputs>): void {
    context.mode.trackContainerResize(true);
    this.strings = readStrings((id) => context.resources.getString(id), PANEL_STRING_KEYS);
    this.fmt = createFormatter(localeOf(context.userSettings?.languageId));
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    const size = allocatedSize(context.mode);
    const props: ProgressPanelProps = {
      state: this.stateFor(context),
      refreshMs: Math.max(MIN_REFRESH_SECONDS, whole(context.parameters.refreshSeconds?.raw, DEFAULT_REFRESH_SECONDS)) * 1000,
      visible: context.mode.isVisible !== false,
      strings: this.strings,
      fmt: this.fmt,
      theme: themeOf(context),
      width: size.width,
    };
    return React.createElement(ProgressPanel, props);
  }

  public getOutputs(): IOutputs {
    return {};
  }

  public destroy(): void {
    // The platform unmounts the React tree; the refresh timer stops with it.
  }

  /** The same loader while the record and limits stay the same (a new one restarts the panel's reads). */
  private stateFor(context: ComponentFramework.Context<IInputs>): PanelState {
    const record = recordContextOf(context as ComponentFramework.Context<unknown>);
    const maxBookings = whole(context.parameters.maxBookings?.raw, DEFAULT_MAX_BOOKINGS);
    const maxEvents = whole(context.parameters.maxEvents?.raw, DEFAULT_MAX_EVENTS);
    const key = `${record?.entityName ?? ''}|${record?.entityId ?? ''}|${maxBookings}|${maxEvents}`;
    if (key === this.stateKey) return this.state;
    this.stateKey = key;
    const scope = record ? scopeOf(record.entityName, record.entityId) : null;
    if (!record || !scopeOf(record.entityName, record.entityId ?? 'new')) this.state = { kind: 'unsupported' };
    else if (!scope) this.state = { kind: 'new-record' };
    else {
      const loader = createProgressLoader(context.webAPI, this.fmt, { maxBookings, maxEvents });
      this.state = { kind: 'ready', load: () => loader(scope) };
    }
    return this.state;
  }
}

function whole(value: number | null | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

/** Names from ControlManifest.Input.xml, once (a test checks them against the XML), and the typed inputs. */
export const NAMESPACE = 'ProjectFieldBridge';
export const CONSTRUCTOR = 'BookingProgressPanel';

export const PROPERTIES = {
  anchor: 'anchor',
  refreshSeconds: 'refreshSeconds',
  maxBookings: 'maxBookings',
  maxEvents: 'maxEvents',
} as const;

export interface IInputs {
  anchor: ComponentFramework.PropertyTypes.Property;
  refreshSeconds: ComponentFramework.PropertyTypes.WholeNumberProperty;
  maxBookings: ComponentFramework.PropertyTypes.WholeNumberProperty;
  maxEvents: ComponentFramework.PropertyTypes.WholeNumberProperty;
}

// The panel reads only; the bound column is never written.
export type IOutputs = Record<string, never>;

export const DEFAULT_REFRESH_SECONDS = 30;
export const MIN_REFRESH_SECONDS = 5;
export const DEFAULT_MAX_BOOKINGS = 20;
export const DEFAULT_MAX_EVENTS = 10;

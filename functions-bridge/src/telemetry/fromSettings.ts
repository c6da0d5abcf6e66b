/**
 * Telemetry for a configured bridge: the secrets to mask are exactly the settings describeSettings masks, so the
 * two can never disagree about what is secret.
 */
import { describeSettings, type Settings } from '../config/settings';
import { createTelemetry, type Telemetry, type TelemetryOptions } from './telemetry';

/** The values of the settings describeSettings prints as `***`. */
export function settingsSecrets(settings: Settings): string[] {
  const described = describeSettings(settings);
  return Object.entries(described)
    .filter(([, shown]) => shown === '***')
    .map(([name]) => settings[name as keyof Settings])
    .filter((v): v is string => typeof v === 'string')
    // A setting may hold several secrets (MOBILITY_SIGNING_SECRET during a rotation): mask each one too.
    .flatMap((v) => [v, ...v.split(/\s+/).filter((part) => part.length >= 8 && part !== v)]);
}

export function telemetryFromSettings(settings: Settings, options: Omit<TelemetryOptions, 'connectionString' | 'secrets'> = {}): Telemetry {
  return createTelemetry({ ...options, connectionString: settings.APPLICATIONINSIGHTS_CONNECTION_STRING, secrets: settingsSecrets(settings) });
}

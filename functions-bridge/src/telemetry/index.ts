/** Telemetry: console JSON lines, Application Insights (OpenTelemetry) when configured, secrets masked. */
export { createTelemetry, FIXED_DIMENSIONS } from './telemetry';
export type { AzureMonitorApi, FailureDimensions, LogLevel, LogProperties, Telemetry, TelemetryOptions } from './telemetry';
export { createRedactor } from './redact';
export type { Redactor } from './redact';
export { settingsSecrets, telemetryFromSettings } from './fromSettings';

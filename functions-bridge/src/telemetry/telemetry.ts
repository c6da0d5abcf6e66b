/**
 * The bridge's telemetry: log lines and exceptions with FIXED dimensions.
 *
 * - With APPLICATIONINSIGHTS_CONNECTION_STRING set, exceptions go to Application Insights through OpenTelemetry
 *   (`useAzureMonitor`, the Azure Monitor distro) as `exceptions` rows whose customDimensions are the fixed
 *   dimensions below; the alert rule in infra/main.bicep matches `customDimensions.failure` and e-mails support.
 *   `useAzureMonitor()` throws without a connection string (platform notes), so it is only called with one, and a
 *   failure to start it falls back to the console instead of stopping the bridge.
 * - Log lines are JSON, one per line, on the console: the Functions host forwards them to Application Insights as
 *   traces, and locally they are readable and greppable. Exceptions are also written as a console line (a trace,
 *   not a second exception row).
 *
 * Every text passes through the redactor: configured secret values and secret-shaped substrings are masked.
 */
import { createRequire } from 'node:module';
import { createRedactor, type Redactor } from './redact';

export type LogLevel = 'info' | 'warn' | 'error';
export type LogProperties = Readonly<Record<string, string | number | boolean>>;

/**
 * The dimensions every tracked exception carries, so one alert query covers every failure:
 * - `failure`: what failed, e.g. TaskSyncPoisoned, BookingDispatchPoisoned, BookingDispatchRefused, MalformedMessage;
 * - `queue`: the queue the message came from ('' for HTTP);
 * - `recordId`: the Dataverse row (pfb_tasksync or bookableresourcebooking id), '' when unknown;
 * - `step`: the step that failed ('unknown' when not known).
 * Further string dimensions (attempts, lastError, correlationId, …) may be added.
 */
export interface FailureDimensions {
  readonly failure: string;
  readonly queue: string;
  readonly recordId: string;
  readonly step: string;
  readonly [extra: string]: string;
}

export const FIXED_DIMENSIONS = ['failure', 'queue', 'recordId', 'step'] as const;

export interface Telemetry {
  /** 'azureMonitor' when exceptions go to Application Insights, else 'console'. */
  readonly destination: 'azureMonitor' | 'console';
  log(level: LogLevel, message: string, properties?: LogProperties): void;
  trackException(error: Error, dimensions: FailureDimensions): void;
  /** Sends what is buffered (Azure Monitor batches exports). */
  flush(): Promise<void>;
  /** Masks secrets in a text (for answers that quote an error). */
  readonly redact: Redactor;
}

/** The parts of @azure/monitor-opentelemetry and @opentelemetry/api-logs used here (loaded only when enabled). */
export interface AzureMonitorApi {
  useAzureMonitor(options: { azureMonitorExporterOptions: { connectionString: string } }): void;
  emitException(record: { message: string; attributes: Record<string, string> }): void;
  flush(): Promise<void>;
}

export interface TelemetryOptions {
  readonly connectionString?: string;
  /** Secret values to mask (describeSettings' secrets: webhook key, storage connection string, tokens…). */
  readonly secrets?: readonly (string | undefined)[];
  /** Where console lines go (default process.stdout). */
  readonly write?: (line: string) => void;
  /** Base properties on every line (e.g. { host: 'local' }). */
  readonly properties?: LogProperties;
  /** Loads Azure Monitor (a seam for tests). */
  readonly loadAzureMonitor?: () => AzureMonitorApi;
  readonly now?: () => Date;
}

const SEVERITY_ERROR = 17; // OpenTelemetry SeverityNumber.ERROR

function defaultAzureMonitor(): AzureMonitorApi {
  const load = createRequire(__filename);
  const distro = load('@azure/monitor-opentelemetry') as typeof import('@azure/monitor-opentelemetry');
  const logsApi = load('@opentelemetry/api-logs') as typeof import('@opentelemetry/api-logs');
  return {
    useAzureMonitor: (options) => distro.useAzureMonitor(options),
    emitException: ({ message, attributes }) =>
      logsApi.logs.getLogger('project-field-bridge').emit({ severityNumber: SEVERITY_ERROR, severityText: 'ERROR', body: message, attributes }),
    flush: async () => {
      const provider = logsApi.logs.getLoggerProvider() as { forceFlush?: () => Promise<void> };
      await provider.forceFlush?.();
    },
  };
}

export function createTelemetry(options: TelemetryOptions = {}): Telemetry {
  const redact = createRedactor([...(options.secrets ?? []), options.connectionString]);
  const write = options.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const base = options.properties ?? {};

  const line = (level: LogLevel, message: string, properties: Record<string, unknown>): void => {
    const clean: Record<string, unknown> = {};
    for (const [k, v] of Object.entries({ ...base, ...properties })) clean[k] = typeof v === 'string' ? redact(v) : v;
    write(JSON.stringify({ time: now().toISOString(), level, message: redact(message), ...clean }));
  };

  let monitor: AzureMonitorApi | undefined;
  const connectionString = options.connectionString?.trim();
  if (connectionString) {
    try {
      const api = (options.loadAzureMonitor ?? defaultAzureMonitor)();
      api.useAzureMonitor({ azureMonitorExporterOptions: { connectionString } });
      monitor = api;
    } catch (e) {
      line('warn', `Application Insights is not available (${e instanceof Error ? e.message : String(e)}); telemetry goes to the console only.`, {});
    }
  }

  return {
    destination: monitor ? 'azureMonitor' : 'console',
    redact,
    log: (level, message, properties = {}) => line(level, message, properties),
    trackException(error, dimensions) {
      const clean: Record<string, string> = {};
      for (const [k, v] of Object.entries(dimensions)) clean[k] = redact(String(v)).slice(0, 8000);
      for (const k of FIXED_DIMENSIONS) clean[k] ??= '';
      const message = redact(error.message);
      line('error', message, { telemetry: 'exception', exceptionType: error.name, ...clean });
      if (!monitor) return;
      try {
        monitor.emitException({
          message,
          attributes: {
            ...clean,
            'exception.type': error.name,
            'exception.message': message,
            // The exporter makes an exception row only with a stack.
            'exception.stacktrace': redact(error.stack ?? `${error.name}: ${error.message}`),
          },
        });
      } catch (e) {
        line('warn', `Could not send an exception to Application Insights: ${e instanceof Error ? e.message : String(e)}`, {});
      }
    },
    flush: async () => {
      try {
        await monitor?.flush();
      } catch (e) {
        line('warn', `Flushing Application Insights failed: ${e instanceof Error ? e.message : String(e)}`, {});
      }
    },
  };
}

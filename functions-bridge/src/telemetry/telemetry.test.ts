import { readSettings } from '../config/settings';
import { settingsSecrets, telemetryFromSettings } from './fromSettings';
import { createTelemetry, type AzureMonitorApi } from './telemetry';

const lines = (out: string[]): Record<string, unknown>[] => out.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('without a connection string', () => {
  it('never calls useAzureMonitor and writes JSON lines to the console', () => {
    const out: string[] = [];
    const load = jest.fn();
    const t = createTelemetry({ write: (l) => out.push(l), loadAzureMonitor: load, now: () => new Date('2026-11-23T10:00:00Z') });
    expect(t.destination).toBe('console');
    t.log('info', 'queued task sync 1', { queue: 'task-sync', n: 2 });
    t.trackException(new Error('task-sync failed at step x'), { failure: 'TaskSyncPoisoned', queue: 'task-sync', recordId: 'r1', step: 'upsertWorkOrders', attempts: '10' });
    expect(load).not.toHaveBeenCalled();
    expect(lines(out)).toEqual([
      { time: '2026-11-23T10:00:00.000Z', level: 'info', message: 'queued task sync 1', queue: 'task-sync', n: 2 },
      {
        time: '2026-11-23T10:00:00.000Z',
        level: 'error',
        message: 'task-sync failed at step x',
        telemetry: 'exception',
        exceptionType: 'Error',
        failure: 'TaskSyncPoisoned',
        queue: 'task-sync',
        recordId: 'r1',
        step: 'upsertWorkOrders',
        attempts: '10',
      },
    ]);
  });

  it('masks configured secrets and secret-shaped text in messages and dimensions', () => {
    const out: string[] = [];
    const t = createTelemetry({ write: (l) => out.push(l), secrets: ['the-webhook-key-123456'] });
    t.log('warn', 'POST /api/dataverse/task-sync?code=the-webhook-key-123456&x=1 failed', { url: 'https://a/b?sig=abcdef&sv=1' });
    t.trackException(new Error('AccountKey=c2VjcmV0; Bearer eyJhbGciOiJIUzI1NiJ9.x.y'), { failure: 'F', queue: '', recordId: '', step: 'the-webhook-key-123456' });
    const text = out.join('\n');
    expect(text).not.toMatch(/the-webhook-key-123456|c2VjcmV0|eyJhbGciOiJIUzI1NiJ9|abcdef/);
    expect(text).toContain('code=***');
  });
});

describe('with a connection string', () => {
  const fake = (): AzureMonitorApi & { calls: unknown[] } => {
    const calls: unknown[] = [];
    return {
      calls,
      useAzureMonitor: (o) => void calls.push(['useAzureMonitor', o]),
      emitException: (r) => void calls.push(['emitException', r]),
      flush: () => Promise.resolve(void calls.push(['flush'])),
    };
  };
  const CS = 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://example.invalid/';

  it('starts Azure Monitor and sends exceptions with the fixed dimensions as customDimensions', async () => {
    const monitor = fake();
    const t = createTelemetry({ connectionString: CS, write: () => undefined, loadAzureMonitor: () => monitor });
    expect(t.destination).toBe('azureMonitor');
    t.trackException(new Error('poisoned'), { failure: 'BookingDispatchPoisoned', queue: 'booking-dispatch', recordId: 'b1', step: 'send-ticket' });
    await t.flush();
    expect(monitor.calls[0]).toEqual(['useAzureMonitor', { azureMonitorExporterOptions: { connectionString: CS } }]);
    expect(monitor.calls[1]).toEqual([
      'emitException',
      {
        message: 'poisoned',
        attributes: expect.objectContaining({
          failure: 'BookingDispatchPoisoned',
          queue: 'booking-dispatch',
          recordId: 'b1',
          step: 'send-ticket',
          'exception.type': 'Error',
          'exception.message': 'poisoned',
          'exception.stacktrace': expect.stringContaining('Error: poisoned'),
        }),
      },
    ]);
    expect(monitor.calls[2]).toEqual(['flush']);
  });

  it('falls back to the console when Azure Monitor cannot start, without printing the connection string', () => {
    const out: string[] = [];
    const t = createTelemetry({
      connectionString: CS,
      write: (l) => out.push(l),
      loadAzureMonitor: () => {
        throw new Error(`bad connection string ${CS}`);
      },
    });
    expect(t.destination).toBe('console');
    expect(out.join('\n')).toMatch(/Application Insights is not available/);
    expect(out.join('\n')).not.toContain('00000000-0000-0000-0000-000000000000');
  });
});

it('masks exactly what describeSettings masks', () => {
  const settings = readSettings({
    DATAVERSE_URL: 'http://127.0.0.1:5555/api/data/v9.2',
    DATAVERSE_AUTH: 'static',
    DATAVERSE_STATIC_TOKEN: 'static-token-value',
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    DATAVERSE_WEBHOOK_KEY: 'webhook-key-value-0000',
    MOBILITY_BASE_URL: 'https://127.0.0.1:9/',
    KEY_VAULT_URL: 'https://127.0.0.1:9/',
  });
  expect(settingsSecrets(settings).sort()).toEqual(['UseDevelopmentStorage=true', 'static-token-value', 'webhook-key-value-0000'].sort());
  const out: string[] = [];
  telemetryFromSettings(settings, { write: (l) => out.push(l) }).log('info', 'token static-token-value key webhook-key-value-0000');
  expect(out[0]).not.toMatch(/static-token-value|webhook-key-value-0000/);
});

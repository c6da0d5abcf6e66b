import { HttpRequest, InvocationContext } from '@azure/functions';
import type { Bridge } from './bridge';
import type { HttpFunctionDefinition } from './functionDefinition';
import { invokeHttpFunction, isStorageOutage, QueueUnavailableError } from './queueOutage';

describe('isStorageOutage', () => {
  it.each([
    [{ statusCode: 503 }, true],
    [{ statusCode: 500 }, true],
    [{ statusCode: 408 }, true],
    [{ code: 'ECONNREFUSED' }, true],
    [{ name: 'RestError', cause: { code: 'ECONNRESET' } }, true],
    [{ name: 'AbortError' }, true],
    [{ statusCode: 403 }, false],
    [{ statusCode: 404 }, false],
    [new Error('message too large'), false],
    [null, false],
  ])('%j → %s', (error, outage) => expect(isStorageOutage(error)).toBe(outage));
});

describe('invokeHttpFunction', () => {
  const lines: string[] = [];
  const bridge = { telemetry: { log: (_level: string, message: string) => void lines.push(message) } } as unknown as Bridge;
  const definition = (handle: HttpFunctionDefinition['handle']): HttpFunctionDefinition => ({ kind: 'http', name: 'taskSyncWebhook', methods: ['POST'], route: 'x', authLevel: 'anonymous', handle });
  const request = new HttpRequest({ method: 'POST', url: 'http://127.0.0.1/api/x' });

  it('answers 503 with Retry-After, naming the queue and the next step, when the queue cannot be reached', async () => {
    const res = await invokeHttpFunction(definition(() => Promise.reject(new QueueUnavailableError('task-sync', 'connect ECONNREFUSED 127.0.0.1:10001'))), bridge, request, new InvocationContext());
    expect(res.status).toBe(503);
    expect((res.headers as Record<string, string>)['Retry-After']).toBe('10');
    expect(JSON.parse(res.body as string)).toMatchObject({ status: 503, title: 'Queue storage unavailable' });
    expect(JSON.parse(res.body as string).detail).toMatch(/task-sync cannot be reached.*send the same request again.*AzureWebJobsStorage/);
    expect(lines.at(-1)).toMatch(/Answered 503/);
  });

  it('passes other failures on to the host and answers as the handler does', async () => {
    await expect(invokeHttpFunction(definition(() => Promise.reject(new Error('bug'))), bridge, request, new InvocationContext())).rejects.toThrow('bug');
    await expect(invokeHttpFunction(definition(() => Promise.resolve({ status: 202 })), bridge, request, new InvocationContext())).resolves.toEqual({ status: 202 });
  });
});

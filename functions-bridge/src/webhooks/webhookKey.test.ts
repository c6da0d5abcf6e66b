import { HttpRequest } from '@azure/functions';
import { checkWebhookKey, keysMatch } from './webhookKey';
import { readJsonBody } from './requestBody';

const KEY = 'webhook-key-0123456789abcdef';

const request = (url: string, headers: Record<string, string> = {}, body?: string): HttpRequest =>
  new HttpRequest({ method: 'POST', url, headers, ...(body === undefined ? {} : { body: { string: body } }) });

describe('checkWebhookKey', () => {
  it('accepts the key as ?code= (WebhookKey endpoints) and as x-functions-key', () => {
    expect(checkWebhookKey(request(`http://127.0.0.1/api/dataverse/task-sync?code=${KEY}`), KEY)).toEqual({ ok: true });
    expect(checkWebhookKey(request('http://127.0.0.1/api/dataverse/task-sync', { 'x-functions-key': KEY }), KEY)).toEqual({ ok: true });
  });

  it('answers 401 without a key and with a wrong one, never echoing either key', async () => {
    for (const req of [
      request('http://127.0.0.1/api/dataverse/task-sync'),
      request('http://127.0.0.1/api/dataverse/task-sync?code='),
      request('http://127.0.0.1/api/dataverse/task-sync?code=wrong-key-presented-here'),
      request('http://127.0.0.1/api/dataverse/task-sync', { 'x-functions-key': `${KEY}x` }),
      request(`http://127.0.0.1/api/dataverse/task-sync?code=${KEY.slice(0, -1)}`),
    ]) {
      const check = checkWebhookKey(req, KEY);
      expect(check.ok).toBe(false);
      if (check.ok) continue;
      expect(check.response.status).toBe(401);
      const text = String(check.response.body);
      expect(text).not.toContain(KEY.slice(0, 12));
      expect(text).not.toContain('wrong-key-presented-here');
      expect(JSON.parse(text)).toMatchObject({ status: 401, title: expect.stringMatching(/Webhook key/) });
    }
  });

  it('prefers the header to ?code= as the Functions host does', () => {
    expect(checkWebhookKey(request(`http://127.0.0.1/x?code=${KEY}`, { 'x-functions-key': 'nope' }), KEY).ok).toBe(false);
  });

  it('matches nothing when no key is configured', () => {
    expect(keysMatch('', '')).toBe(false);
    expect(keysMatch('a', 'a')).toBe(true);
    expect(keysMatch('a', 'ab')).toBe(false);
  });
});

describe('readJsonBody', () => {
  it('reads a JSON body', async () => {
    expect(await readJsonBody(request('http://127.0.0.1/x', { 'content-type': 'application/json; charset=utf-8' }, '{"a":"é"}'))).toEqual({ ok: true, text: '{"a":"é"}' });
  });

  it('answers 415 for another media type and 413 above the limit', async () => {
    const wrongType = await readJsonBody(request('http://127.0.0.1/x', { 'content-type': 'text/plain' }, '{}'));
    expect(wrongType.ok ? 0 : wrongType.response.status).toBe(415);
    const noType = await readJsonBody(request('http://127.0.0.1/x', {}, '{}'));
    expect(noType.ok ? 0 : noType.response.status).toBe(415);
    const big = await readJsonBody(request('http://127.0.0.1/x', { 'content-type': 'application/json' }, JSON.stringify({ a: 'x'.repeat(100) })), 50);
    expect(big.ok ? 0 : big.response.status).toBe(413);
    const declared = await readJsonBody(request('http://127.0.0.1/x', { 'content-type': 'application/json', 'content-length': '999999999' }, '{}'));
    expect(declared.ok ? 0 : declared.response.status).toBe(413);
  });
});

/**
 * Service protection limits over HTTP (api-limits): 429 with Retry-After in seconds and the documented codes;
 * concurrency counted per user while requests are in flight.
 */
import http from 'node:http';
import { REAL_LIMITS, type RunningDataverse } from '@pfb/sandbox';
import { client, startTestDataverse } from '../support/sandbox';

it('answers 429 with Retry-After and the request-count code once a user has used the window', async () => {
  const dv = await startTestDataverse({ limits: { requests: 5, executionMs: 1e9, windowMs: 3_000, concurrent: 52 } });
  try {
    const api = client(dv.url);
    for (let i = 0; i < 5; i += 1) expect((await api.get('WhoAmI')).status).toBe(200);
    const res = await api.get('WhoAmI');
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3);
    expect(res.json()['error']).toMatchObject({ code: '0x80072322' });
    expect(dv.server.stats.throttled).toBe(1);
    // After Retry-After the user is admitted again.
    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 50));
    expect((await api.get('WhoAmI')).status).toBe(200);
  } finally {
    await dv.close();
  }
}, 15_000);

it('refuses the 53rd concurrent request of one user at once', async () => {
  const dv: RunningDataverse = await startTestDataverse({ limits: REAL_LIMITS });
  const { port } = new URL(dv.url);
  // 52 requests that have sent their headers but not their bodies are in flight.
  const hanging: http.ClientRequest[] = [];
  try {
    for (let i = 0; i < 52; i += 1) {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/data/v9.2/accounts', headers: { Authorization: 'Bearer same-user', 'Content-Type': 'application/json', 'Content-Length': '100' } });
      req.on('error', () => undefined);
      req.flushHeaders();
      hanging.push(req);
    }
    await new Promise((r) => setTimeout(r, 300));
    const res = await client(dv.url, 'same-user').get('WhoAmI');
    expect(res.status).toBe(429);
    expect(res.json()['error']).toMatchObject({ code: '0x80072326' });
    expect(res.headers.get('retry-after')).toBeTruthy();
  } finally {
    for (const r of hanging) r.destroy();
    await dv.close();
  }
});

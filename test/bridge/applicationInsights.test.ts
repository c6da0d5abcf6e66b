/**
 * What the alert rule reads: a tracked exception reaches Application Insights' ingestion API as an `exceptions` item
 * whose properties (customDimensions) are the fixed dimensions. The real Azure Monitor distro runs in a child process
 * against an HTTPS stand-in of the ingestion endpoint on 127.0.0.1 (the exporter only speaks HTTPS; the child trusts
 * the test CA through NODE_EXTRA_CA_CERTS).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createTestPki } from '@pfb/sandbox/pki';

const ROOT = path.resolve(__dirname, '../..');

interface Envelope {
  name: string;
  iKey: string;
  data: { baseType: string; baseData: { exceptions?: { typeName: string; message: string }[]; properties?: Record<string, string> } };
}

it('sends the exception with failure, queue, recordId and step as customDimensions', async () => {
  const pki = createTestPki({ validDays: 1 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pfb-ai-'));
  const caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, pki.ca.certPem);
  const envelopes: Envelope[] = [];
  const server = https.createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
      if (req.url?.startsWith('/v2.1/track')) {
        const parsed = JSON.parse(body.toString('utf8')) as Envelope | Envelope[];
        envelopes.push(...(Array.isArray(parsed) ? parsed : [parsed]));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ itemsReceived: 1, itemsAccepted: 1, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  try {
    const port = (server.address() as AddressInfo).port;
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(__dirname, 'fixtures/emitException.ts')], {
      cwd: ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        NODE_EXTRA_CA_CERTS: caFile,
        TEST_CONNECTION_STRING: `InstrumentationKey=11111111-2222-3333-4444-555555555555;IngestionEndpoint=https://127.0.0.1:${port}/`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, out: out.includes('destination azureMonitor') }).toEqual({ code: 0, out: true });

    const exceptions = envelopes.filter((e) => e.data.baseType === 'ExceptionData');
    expect(exceptions).toHaveLength(1);
    expect(exceptions[0]?.iKey).toBe('11111111-2222-3333-4444-555555555555');
    expect(exceptions[0]?.data.baseData.exceptions?.[0]).toMatchObject({ typeName: 'Error', message: 'task-sync message for r-42 failed 10 attempt(s)' });
    expect(exceptions[0]?.data.baseData.properties).toEqual({ failure: 'TaskSyncPoisoned', queue: 'task-sync', recordId: 'r-42', step: 'upsertWorkOrders', attempts: '10' });
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * startAzurite: the real azurite-queue command on 127.0.0.1. In memory by default; with `location` a message survives
 * a restart; a busy port is a clear error.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QueueStore } from '../app/queueStore';
import { startAzurite } from './azurite';

it('persists queues in `location` across a restart', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pfb-azurite-'));
  try {
    const first = await startAzurite({ location: dir });
    const port = first.port;
    try {
      const store = QueueStore.fromConnectionString(first.connectionString);
      await store.ensure(['kept']);
      await store.send('kept', { hello: 'again' });
    } finally {
      await first.stop();
    }
    const second = await startAzurite({ location: dir, port });
    try {
      const store = QueueStore.fromConnectionString(second.connectionString);
      const [message] = (await store.client('kept').peekMessages()).peekedMessageItems;
      expect(JSON.parse(Buffer.from(message?.messageText ?? '', 'base64').toString('utf8'))).toEqual({ hello: 'again' });
    } finally {
      await second.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it('keeps nothing in memory mode, and says so when the port is taken', async () => {
  const a = await startAzurite();
  try {
    expect(a.connectionString).toMatch(new RegExp(`QueueEndpoint=http://127\\.0\\.0\\.1:${a.port}/devstoreaccount1;$`));
    await expect(startAzurite({ port: a.port })).rejects.toThrow(`Azurite's port ${a.port} is already in use on 127.0.0.1`);
  } finally {
    await a.stop();
  }
});

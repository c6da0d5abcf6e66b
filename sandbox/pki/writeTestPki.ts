/**
 * Writes a test PKI as files so another process (the mobility simulator's CLI, curl, a bridge run locally) can use
 * it. Keys are test material but still private keys: they go only into a `.sandbox` folder (git-ignored) of the
 * repository or somewhere outside it, with mode 0600.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestPki } from './createTestPki';

/** File names inside the folder; `loadTestPki` reads the same names. */
export const PKI_FILE_NAMES = {
  caCert: 'ca.pem',
  caKey: 'ca-key.pem',
  serverCert: 'server.pem',
  serverKey: 'server-key.pem',
  clientCert: 'client.pem',
  clientKey: 'client-key.pem',
  clientChain: 'client-chain.pem',
  /** Passphrase: TEST_PFX_PASSPHRASE. */
  clientPfx: 'client.pfx',
  clientPfxWithoutPassword: 'client-nopass.pfx',
  intruderCaCert: 'intruder-ca.pem',
  intruderCaKey: 'intruder-ca-key.pem',
  intruderCert: 'intruder.pem',
  intruderKey: 'intruder-key.pem',
  expiredClientCert: 'expired-client.pem',
  expiredClientKey: 'expired-client-key.pem',
} as const;

export type PkiFiles = { readonly dir: string } & { readonly [K in keyof typeof PKI_FILE_NAMES]: string };

/** The repository root (this file is sandbox/pki/writeTestPki.ts). */
const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Refuses folders inside the repository unless under a `.sandbox` folder (git-ignored). */
export function assertSafePkiFolder(dir: string): string {
  const resolved = path.resolve(dir);
  const relative = path.relative(REPO_ROOT, resolved);
  const insideRepo = relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  if (insideRepo && !relative.split(path.sep).includes('.sandbox')) {
    throw new Error(`Refusing to write private keys to ${resolved}: inside the repository only a .sandbox folder (git-ignored) may hold them, e.g. .sandbox/pki`);
  }
  return resolved;
}

export function writeTestPki(pki: TestPki, dir: string): PkiFiles {
  const root = assertSafePkiFolder(dir);
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  const contents: { readonly [K in keyof typeof PKI_FILE_NAMES]: string | Buffer } = {
    caCert: pki.ca.certPem,
    caKey: pki.ca.keyPem,
    serverCert: pki.server.certPem,
    serverKey: pki.server.keyPem,
    clientCert: pki.client.certPem,
    clientKey: pki.client.keyPem,
    clientChain: pki.client.chainPem,
    clientPfx: pki.client.pfx,
    clientPfxWithoutPassword: pki.client.pfxWithoutPassword,
    intruderCaCert: pki.intruderCa.certPem,
    intruderCaKey: pki.intruderCa.keyPem,
    intruderCert: pki.intruder.certPem,
    intruderKey: pki.intruder.keyPem,
    expiredClientCert: pki.expiredClient.certPem,
    expiredClientKey: pki.expiredClient.keyPem,
  };
  const files: Record<string, string> = { dir: root };
  for (const [name, file] of Object.entries(PKI_FILE_NAMES)) {
    const target = path.join(root, file);
    const secret = /key|pfx/i.test(name);
    fs.writeFileSync(target, contents[name as keyof typeof PKI_FILE_NAMES], { mode: secret ? 0o600 : 0o644 });
    // The mode above applies only to a new file; an overwritten key file is tightened too.
    if (secret) fs.chmodSync(target, 0o600);
    files[name] = target;
  }
  return files as PkiFiles;
}

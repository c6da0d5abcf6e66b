/**
 * Reads back a PKI that `writeTo` wrote, so separate processes share one CA. `loadOrCreateTestPki` is what the CLIs
 * use: the same folder across runs, renewed when its certificates are about to expire.
 */
import fs from 'node:fs';
import path from 'node:path';
import { assembleTestPki, createTestPki, TestCa, TestClientCertificate, type TestPki, type TestPkiOptions } from './createTestPki';
import { TestCertificate } from './issueCertificate';
import { PKI_FILE_NAMES, assertSafePkiFolder } from './writeTestPki';

const DAY_MS = 24 * 3_600_000;

function read(dir: string, file: string): string {
  const target = path.join(dir, file);
  try {
    return fs.readFileSync(target, 'utf8');
  } catch (e) {
    throw new Error(`Test PKI folder ${dir} is incomplete: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'}); delete the folder to have it created again`);
  }
}

/** Every file `writeTo` writes must be there; PKCS#12 forms are rebuilt from the PEM files. */
export function loadTestPki(dir: string, options: TestPkiOptions = {}): TestPki {
  const root = path.resolve(dir);
  const f = PKI_FILE_NAMES;
  const validDays = options.validDays ?? 30;
  const ca = new TestCa({ certPem: read(root, f.caCert), keyPem: read(root, f.caKey) }, validDays);
  const intruderCa = new TestCa({ certPem: read(root, f.intruderCaCert), keyPem: read(root, f.intruderCaKey) }, validDays);
  return assembleTestPki({
    ca,
    server: new TestCertificate(read(root, f.serverCert), read(root, f.serverKey)),
    client: new TestClientCertificate({ certPem: read(root, f.clientCert), keyPem: read(root, f.clientKey) }, ca),
    intruderCa,
    intruder: new TestClientCertificate({ certPem: read(root, f.intruderCert), keyPem: read(root, f.intruderKey) }, intruderCa),
    expiredClient: new TestClientCertificate({ certPem: read(root, f.expiredClientCert), keyPem: read(root, f.expiredClientKey) }, ca),
  });
}

export interface LoadOrCreateResult {
  readonly pki: TestPki;
  /** True when the folder was empty, incomplete or about to expire and a new PKI was written. */
  readonly created: boolean;
}

/** Loads the folder's PKI when complete and valid for at least another day; otherwise creates and writes one. */
export function loadOrCreateTestPki(dir: string, options: TestPkiOptions = {}): LoadOrCreateResult {
  const root = assertSafePkiFolder(dir);
  const complete = Object.values(PKI_FILE_NAMES).every((file) => fs.existsSync(path.join(root, file)));
  if (complete) {
    const pki = loadTestPki(root, options);
    const soon = Date.now() + DAY_MS;
    if ([pki.ca, pki.server, pki.client].every((c) => c.notAfter.getTime() > soon)) return { pki, created: false };
  }
  const pki = createTestPki(options);
  pki.writeTo(root);
  return { pki, created: true };
}

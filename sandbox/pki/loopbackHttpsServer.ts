/**
 * An HTTPS server on 127.0.0.1 only, with a certificate from the test PKI, that can be stopped at once: `close()`
 * destroys every open connection (keep-alive, mid-handshake or deliberately left hanging), so tests never wait for
 * a client's idle timeout and never leave a handle behind.
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { CertificateAndKey } from './issueCertificate';

export interface LoopbackHttpsOptions {
  /** The server's certificate and key (e.g. `pki.server`). */
  readonly server: CertificateAndKey;
  /** Require a client certificate signed by this CA (PEM); the TLS handshake fails without one. */
  readonly clientCa?: string;
  /** 0 or absent = a free port. */
  readonly port?: number;
}

export interface LoopbackHttpsServer {
  readonly server: https.Server;
  readonly port: number;
  /** `https://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export async function listenLoopbackHttps(options: LoopbackHttpsOptions, handler: RequestHandler): Promise<LoopbackHttpsServer> {
  const server = https.createServer(
    {
      cert: options.server.certPem,
      key: options.server.keyPem,
      minVersion: 'TLSv1.2',
      ...(options.clientCa ? { ca: options.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
    },
    handler,
  );
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    server.once('error', onError);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
  const { port } = server.address() as { port: number };
  let closing: Promise<void> | undefined;
  return {
    server,
    port,
    url: `https://127.0.0.1:${port}`,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

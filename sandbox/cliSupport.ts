/** What every sandbox command line shares: one clear line on stderr and exit code 2 for a bad start, port parsing. */

export function failWith(program: string): (message: string) => never {
  return (message: string): never => {
    process.stderr.write(`${program}: ${message}\n`);
    process.exit(2);
  };
}

/** A TCP port from a flag (0 picks a free one); calls `fail` for anything else. */
export function parsePort(value: string, fail: (message: string) => never): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number (0 picks a free one), not '${value}'.`);
  return port;
}

/** Why a server could not start, in one line: a busy port names the flag to change. */
export function failToStart(e: unknown, port: number, fail: (message: string) => never): never {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EADDRINUSE') fail(`port ${port} is already in use on 127.0.0.1; choose another with --port, or --port 0 for a free one.`);
  return fail(`could not start: ${err.message}`);
}

/** SIGTERM and SIGINT close the server once, then exit 0. */
export function stopOnSignals(close: () => Promise<void>): void {
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

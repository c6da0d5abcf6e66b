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

/// <reference lib="dom" />
/** The technician page's routes on the shell's origin (server/technicianRoutes.ts), from the browser. */
import type { TicketView } from '../../server/technicianRoutes';

export type { TicketView };

export interface SimulatorState {
  /** The simulated technicians work every ticket not moved by hand. */
  readonly automatic: boolean;
  readonly tickets: readonly TicketView[];
}

async function problemOf(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { detail?: string; title?: string };
    return body.detail ?? body.title ?? `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}

export async function readSimulator(): Promise<SimulatorState> {
  const res = await fetch('/simulator/tickets', { headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (!res.ok) throw new Error(`The mobility simulator's tickets could not be read: ${await problemOf(res)}`);
  return (await res.json()) as SimulatorState;
}

export async function postJson<T = unknown>(path: string, body: unknown): Promise<T | null> {
  const res = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(await problemOf(res));
  return res.status === 204 ? null : ((await res.json()) as T);
}

/**
 * Ready to Sync from the grid runs the same command as the ribbon: the ribbon web resource `pfb_/scripts/commands.js`
 * registers `ProjectFieldBridge.ReadyToSync.run(taskIds, options)` (validation, dialog, upsert of pfb_tasksync rows,
 * notification through the global Xrm). The grid never validates or writes itself; it finds that entry point — on the
 * page already, or by loading the web resource from `<clientUrl>/WebResources/pfb_/scripts/commands.js` — and calls it.
 */

export interface ReadyToSyncOptions {
  readonly projectId?: string;
}

export type ReadyToSyncRun = (taskIds: string[], options?: ReadyToSyncOptions) => Promise<unknown>;

/**
 * What the command resolved with, as far as the grid needs it. The command answers `{ status, queued, skipped,
 * failed, warnings }` (status completed | cancelled | nothingToDo | failed) and has already told the user through the
 * app; the grid only decides whether to refresh and what to say in its own message bar.
 */
export interface RunResult {
  readonly status: 'completed' | 'cancelled' | 'nothingToDo' | 'failed' | 'unknown';
  /** Tasks queued, when the command says. */
  readonly queued: number | null;
}

export function readOutcome(value: unknown): RunResult {
  if (!value || typeof value !== 'object') return { status: 'unknown', queued: null };
  const o = value as { status?: unknown; queued?: unknown };
  const status = o.status === 'completed' || o.status === 'cancelled' || o.status === 'nothingToDo' || o.status === 'failed' ? o.status : 'unknown';
  const queued = Array.isArray(o.queued) ? o.queued.length : typeof o.queued === 'number' ? o.queued : null;
  return { status, queued };
}

/** The grid's view of the command: a port, so tests can hand in a fake. */
export interface ReadyToSyncPort {
  /** Resolves to the command, or null when it cannot be loaded (the button is then disabled). */
  resolve(): Promise<ReadyToSyncRun | null>;
}

export const COMMANDS_WEB_RESOURCE = 'pfb_/scripts/commands.js';

interface CommandsGlobal {
  ProjectFieldBridge?: { ReadyToSync?: { run?: unknown } };
}

function findRun(win: Window): ReadyToSyncRun | null {
  const run = (win as unknown as CommandsGlobal).ProjectFieldBridge?.ReadyToSync?.run;
  if (typeof run !== 'function') return null;
  const ns = (win as unknown as CommandsGlobal).ProjectFieldBridge?.ReadyToSync;
  return (taskIds, options) => Promise.resolve((run as (ids: string[], o?: ReadyToSyncOptions) => unknown).call(ns, taskIds, options));
}

/** Adds the script tag (once per page and source) and resolves when it has loaded (true) or failed (false). */
function loadScript(doc: Document, src: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const existing = [...doc.querySelectorAll<HTMLScriptElement>('script[data-pfb-src]')].find((s) => s.dataset['pfbSrc'] === src);
    if (existing?.dataset['pfbState']) return resolve(existing.dataset['pfbState'] === 'loaded');
    const script = existing ?? doc.createElement('script');
    const timer = setTimeout(() => resolve(false), timeoutMs);
    const settle = (ok: boolean): void => {
      clearTimeout(timer);
      script.dataset['pfbState'] = ok ? 'loaded' : 'failed';
      resolve(ok);
    };
    script.addEventListener('load', () => settle(true));
    script.addEventListener('error', () => settle(false));
    if (!existing) {
      script.src = src;
      script.async = true;
      script.dataset['pfbSrc'] = src;
      doc.head.appendChild(script);
    }
  });
}

export function createReadyToSyncPort(clientUrl: string, win: Window = window, timeoutMs = 10_000): ReadyToSyncPort {
  let pending: Promise<ReadyToSyncRun | null> | null = null;
  return {
    resolve() {
      const ready = findRun(win);
      if (ready) return Promise.resolve(ready);
      pending ??= loadScript(win.document, `${clientUrl}/WebResources/${COMMANDS_WEB_RESOURCE}`, timeoutMs).then(() => findRun(win));
      return pending;
    },
  };
}

/**
 * Reads on an interval while the panel is visible and pauses while it is not: the host says so through
 * `context.mode.isVisible` (a collapsed tab or section), the browser through the Page Visibility API (a background tab).
 * Coming back after longer than the interval reads at once. One read at a time; a failed read keeps the last figures.
 */
import * as React from 'react';

export interface AutoRefreshState<T> {
  readonly value: T | null;
  readonly error: string | null;
  /** A read is running. */
  readonly busy: boolean;
  readonly updatedAt: Date | null;
  refresh(): void;
}

function documentVisible(): boolean {
  return typeof document === 'undefined' || document.visibilityState !== 'hidden';
}

export function useAutoRefresh<T>(load: (() => Promise<T>) | null, intervalMs: number, visible: boolean): AutoRefreshState<T> {
  const [value, setValue] = React.useState<T | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [busy, setBusy] = React.useState(false);
  const [updatedAt, setUpdatedAt] = React.useState<Date | null>(null);
  const [pageVisible, setPageVisible] = React.useState(documentVisible);
  const st = React.useRef({ mounted: true, running: false, startedAt: 0, load, generation: 0 });

  React.useEffect(() => {
    const onChange = (): void => setPageVisible(documentVisible());
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);

  const run = React.useCallback(async (): Promise<void> => {
    const s = st.current;
    const current = s.load;
    if (!current || s.running) return;
    s.running = true;
    s.startedAt = Date.now();
    const generation = s.generation;
    setBusy(true);
    try {
      const v = await current();
      if (!s.mounted || generation !== s.generation) return;
      setValue(v);
      setError(null);
      setUpdatedAt(new Date());
    } catch (e) {
      if (s.mounted && generation === s.generation) setError(e instanceof Error ? e.message : String(e));
    } finally {
      s.running = false;
      if (s.mounted) setBusy(false);
    }
  }, []);

  // A new record (another loader): forget what was shown.
  React.useEffect(() => {
    const s = st.current;
    if (s.load === load) return;
    s.load = load;
    s.generation += 1;
    s.running = false;
    s.startedAt = 0;
    setValue(null);
    setError(null);
    setUpdatedAt(null);
  }, [load]);

  const active = visible && pageVisible && load !== null;
  React.useEffect(() => {
    if (!active) return;
    if (Date.now() - st.current.startedAt >= intervalMs) void run();
    const timer = setInterval(() => void run(), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, load, run]);

  React.useEffect(() => {
    const s = st.current;
    s.mounted = true;
    return () => {
      s.mounted = false;
    };
  }, []);

  return { value, error, busy, updatedAt, refresh: () => void run() };
}

/**
 * Keeps the field data of the grid's tasks: reads it for tasks not covered yet (a page appended), reads everything
 * again when the dataset reloads (`dataVersion`) or the user refreshes, and follows tasks on their way to the field
 * (Ready to Sync, Syncing) by re-reading only those until they settle. One read at a time; what changes while a read
 * runs is picked up by the next one.
 */
import * as React from 'react';
import { SyncStatus } from '../../shared/schemaNames';
import { EMPTY_RELATED, mergeRelated, type RelatedData, type TaskRecord } from '../model/types';
import type { RelatedLoader } from '../platform/relatedData';

export interface RelatedState {
  readonly data: RelatedData;
  readonly loading: boolean;
  readonly error: string | null;
  /** Web API requests made so far. */
  readonly requests: number;
  /** Read everything again. */
  reload(): void;
}

export interface RelatedOptions {
  /** While a task is Ready to Sync or Syncing, read it again after this long. */
  readonly followMs?: number;
  /** Stop following after this many reads in a row. */
  readonly followLimit?: number;
}

const SETTLING = new Set<number>([SyncStatus.ReadyToSync, SyncStatus.Syncing]);

function settlingTaskIds(data: RelatedData): string[] {
  const out: string[] = [];
  for (const s of data.syncs.values()) if (s.syncStatus !== null && SETTLING.has(s.syncStatus)) out.push(s.taskId);
  return out;
}

interface Tracker {
  mounted: boolean;
  running: boolean;
  /** dataVersion of the data held (-1: none yet). */
  version: number;
  fullWanted: boolean;
  followWanted: boolean;
  covered: Set<string>;
  coveredProjects: Set<string>;
  follows: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  data: RelatedData;
  tasks: readonly TaskRecord[];
  dataVersion: number;
}

export function useRelatedData(loader: RelatedLoader, tasks: readonly TaskRecord[], dataVersion: number, options: RelatedOptions = {}): RelatedState {
  const followMs = options.followMs ?? 3000;
  const followLimit = options.followLimit ?? 40;
  const [data, setData] = React.useState<RelatedData>(EMPTY_RELATED);
  const [loading, setLoading] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);
  const [requests, setRequests] = React.useState(0);
  const [kick, setKick] = React.useState(0);

  const ref = React.useRef<Tracker>({
    mounted: true,
    running: false,
    version: -1,
    fullWanted: false,
    followWanted: false,
    covered: new Set(),
    coveredProjects: new Set(),
    follows: 0,
    timer: undefined,
    data: EMPTY_RELATED,
    tasks,
    dataVersion,
  });
  ref.current.tasks = tasks;
  ref.current.dataVersion = dataVersion;

  const run = React.useCallback(async (): Promise<void> => {
    const st = ref.current;
    if (st.running) return; // the loop below looks again before it stops
    st.running = true;
    let failed = false;
    try {
      for (;;) {
        const leaves = st.tasks.filter((t) => !t.isSummary);
        const full = st.fullWanted || st.version !== st.dataVersion;
        const follow = !full && st.followWanted;
        const uncovered = leaves.filter((t) => !st.covered.has(t.id) && !(t.projectId !== null && st.coveredProjects.has(t.projectId)));
        let todo: readonly TaskRecord[];
        if (full) todo = leaves;
        else if (follow) {
          const wanted = new Set([...settlingTaskIds(st.data), ...uncovered.map((t) => t.id)]);
          todo = leaves.filter((t) => wanted.has(t.id));
        } else todo = uncovered;
        const version = st.dataVersion;
        st.fullWanted = false;
        st.followWanted = false;
        if (todo.length === 0) {
          if (full) {
            st.data = EMPTY_RELATED;
            setData(EMPTY_RELATED);
          }
          st.version = version;
          break;
        }
        setLoading(true);
        const projectIds = [...new Set(todo.map((t) => t.projectId).filter((p): p is string => p !== null))];
        const result = await loader({ taskIds: todo.map((t) => t.id), projectIds });
        if (!st.mounted) return;
        if (full) {
          st.covered = new Set();
          st.coveredProjects = new Set();
        }
        for (const t of todo) st.covered.add(t.id);
        for (const p of result.coveredProjects) st.coveredProjects.add(p);
        st.data = full ? result.data : mergeRelated(st.data, result.data, todo.map((t) => t.id));
        st.version = version;
        setData(st.data);
        setRequests((n) => n + result.requests);
        setError(null);
      }
    } catch (e) {
      failed = true;
      if (st.mounted) setError(e instanceof Error ? e.message : String(e));
    } finally {
      st.running = false;
      if (st.mounted) {
        setLoading(false);
        if (st.timer) clearTimeout(st.timer);
        st.timer = undefined;
        const settling = settlingTaskIds(st.data).length > 0;
        if (!settling || failed) st.follows = 0;
        else if (st.follows < followLimit) {
          st.follows += 1;
          st.timer = setTimeout(() => {
            st.followWanted = true;
            setKick((n) => n + 1);
          }, followMs);
        }
      }
    }
  }, [loader, followMs, followLimit]);

  React.useEffect(() => {
    void run();
  }, [run, tasks, dataVersion, kick]);

  React.useEffect(() => {
    const st = ref.current;
    st.mounted = true;
    return () => {
      st.mounted = false;
      if (st.timer) clearTimeout(st.timer);
    };
  }, []);

  const reload = React.useCallback(() => {
    ref.current.fullWanted = true;
    ref.current.follows = 0;
    setKick((n) => n + 1);
  }, []);

  return { data, loading, error, requests, reload };
}

/**
 * PCF controls (DESIGN §7): each control's production bundle size, and the WBS grid with 25,000 tasks in headless
 * chromium — the production bundle.js in the sandbox's PCF host, its dataset read from the local Dataverse (`scale`
 * program, all projects: a program view grouped by project).
 *
 * - firstRenderMs: from the updateView whose dataset holds the 25,000 tasks to the first frame painted after it (the
 *   tree built, the rows in view rendered). Reading the rows from the Web API is not in it (given in the notes).
 *   Baseline: the same 25,000 rows as a plain React table (every row in the DOM), in the same page.
 * - scrollFrameMs: p95 of the frame interval while the grid is flicked through (a scroll step every frame); the
 *   number of rows in the DOM is sampled every frame to show the list stays virtualised.
 */
import fs from 'node:fs';
import { MAX_BUNDLE_BYTES, PCF_CONTROLS } from '../../pcf/controls';
import { ensurePcfBuilt } from '../../pcf/scripts/ensureBuilt';
import { startDataverse } from '@pfb/sandbox';
import { msdyn_projecttask } from '@pfb/domain';
import { launchChromium } from '../../test/support/browser';
import { openHostPage, startPcfOrigin } from '../../test/pcf/support/pcfPage';
import type { Results } from './results';

const ROWS = 25_000;
/** Leaf tasks of the scale program so that, with its summary tasks, it has more than 25,000 tasks. */
const LEAVES = 23_500;

interface GridRun {
  firstFrameMs: number;
  updateViewMs: number;
  renderMs: number;
  readMs: number;
  datasetRequests: number;
  frames: number[];
  maxRowsInDom: number;
  scrolledRows: number;
  naiveMs: number;
}

const round = (n: number, d = 1): number => Math.round(n * 10 ** d) / 10 ** d;
const p95 = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))] ?? 0;

export async function benchPcf(quick: boolean): Promise<Results> {
  await ensurePcfBuilt((s) => console.log(s));
  const results: Results = {};
  for (const c of PCF_CONTROLS) {
    const bytes = fs.statSync(c.bundle).size;
    results[`pcf.bundleKB.${c.name}`] = {
      value: round(bytes / 1024),
      unit: 'KB',
      notes: `production bundle.js from pcf-scripts build --buildMode production (${bytes} bytes; budget ${MAX_BUNDLE_BYTES / 1024} KB); React 16.14.0 and Fluent 9.46.2 are platform libraries, not in the bundle`,
    };
  }

  const dv = await startDataverse({ seed: `scale:${LEAVES}`, limits: null });
  const origin = await startPcfOrigin({ dataverseUrl: dv.url });
  const browser = await launchChromium();
  try {
    const { page } = await openHostPage(browser, origin.url, { width: 1900, height: 1000 });
    const C = msdyn_projecttask.columns;
    const run = (await page.evaluate(
      async ({ rows, frames, columns, entityName }) => {
        type Info = { rows: Record<string, number>; startedAt: number; updateViewMs: number; renderMs: number };
        const w = window as unknown as { PfbPcfHost: { mountControl(o: unknown): Promise<{ datasets: { tasks: { stats: { requests: number } } } }> }; PfbPcfHostVendor: { React: typeof import('react'); ReactDOM: typeof import('react-dom') } };
        const root = document.getElementById('root') as HTMLElement;
        root.style.width = '1860px';
        root.style.height = '860px';
        const nextFrame = (): Promise<number> => new Promise((r) => requestAnimationFrame(() => setTimeout(() => r(performance.now()), 0)));
        let full: Info | null = null;
        let fullFrame = 0;
        const painted = new Promise<void>((resolve) => {
          const onRender = (info: Info): void => {
            if (full || (info.rows['tasks'] ?? 0) < rows) return;
            full = info;
            void nextFrame().then((t) => {
              fullFrame = t;
              resolve();
            });
          };
          const started = performance.now();
          void w.PfbPcfHost.mountControl({
            element: root,
            controlUrl: '/controls/WbsWorkOrderGrid/',
            width: 1860,
            height: 860,
            parameters: { pageSize: rows, maxTasks: rows },
            datasets: {
              tasks: {
                entityName,
                columns,
                sorting: [
                  { name: 'msdyn_project', sortDirection: 0 },
                  { name: 'msdyn_displaysequence', sortDirection: 0 },
                ],
              },
            },
            onRender,
          }).then((m) => {
            (window as unknown as Record<string, unknown>)['__mounted'] = m;
            (window as unknown as Record<string, unknown>)['__mountedAt'] = started;
          });
        });
        await painted;
        const info = full as unknown as Info;
        const mounted = (window as unknown as { __mounted: { datasets: { tasks: { stats: { requests: number } } } } }).__mounted;
        const readMs = info.startedAt - ((window as unknown as { __mountedAt: number }).__mountedAt ?? 0);
        // Let the field data reads finish before measuring the scroll.
        const status = (): string => document.querySelector('[data-testid=grid-status]')?.textContent ?? '';
        for (let i = 0; i < 600 && status().includes('reading field data'); i += 1) await new Promise((r) => setTimeout(r, 50));

        const grid = document.querySelector('[role=treegrid]') as HTMLElement;
        const times: number[] = [];
        let maxRows = 0;
        const step = 480; // 12 rows per frame: a fast flick
        await new Promise<void>((resolve) => {
          let n = 0;
          let last = 0;
          const tick = (t: number): void => {
            if (last) times.push(t - last);
            last = t;
            maxRows = Math.max(maxRows, grid.querySelectorAll('[role=row]').length);
            if (n++ >= frames) return resolve();
            grid.scrollTop += step;
            requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        });
        const scrolledRows = Math.round(grid.scrollTop / 40);

        // Baseline: the same number of rows, every one in the DOM (no virtualisation), 12 cells each.
        const { React, ReactDOM } = w.PfbPcfHostVendor;
        const naive = document.createElement('div');
        naive.style.height = '860px';
        naive.style.overflow = 'auto';
        document.body.appendChild(naive);
        const t0 = performance.now();
        const cells = (i: number): unknown[] => Array.from({ length: 12 }, (_, c) => React.createElement('td', { key: c }, c === 0 ? `Task ${i}` : `${i}.${c}`));
        ReactDOM.render(React.createElement('table', null, React.createElement('tbody', null, Array.from({ length: rows }, (_, i) => React.createElement('tr', { key: i }, cells(i))))), naive);
        const naiveMs = (await nextFrame()) - t0;
        ReactDOM.unmountComponentAtNode(naive);
        naive.remove();
        return { firstFrameMs: fullFrame - info.startedAt, updateViewMs: info.updateViewMs, renderMs: info.renderMs, readMs, datasetRequests: mounted.datasets.tasks.stats.requests, frames: times, maxRowsInDom: maxRows, scrolledRows, naiveMs };
      },
      { rows: ROWS, frames: quick ? 120 : 360, columns: [C.msdyn_subject.logicalName, C.msdyn_scheduledstart.logicalName, C.msdyn_scheduledend.logicalName, C.msdyn_effort.logicalName], entityName: msdyn_projecttask.logicalName },
    )) as GridRun;

    const mean = run.frames.reduce((a, b) => a + b, 0) / Math.max(1, run.frames.length);
    results['pcf.grid25k.firstRenderMs'] = {
      value: round(run.firstFrameMs),
      unit: 'ms',
      baseline: round(run.naiveMs),
      notes: `headless chromium, production bundle in the sandbox PCF host: updateView with ${ROWS} tasks (a program view of the scale seed, grouped by project) → first frame painted; updateView ${round(run.updateViewMs)} ms + ReactDOM.render ${round(run.renderMs)} ms inside it. The rows were read from the local Dataverse before that (${run.datasetRequests} requests of ≤ 5,000 rows, ${round(run.readMs / 1000, 2)} s, not counted). Baseline: the same ${ROWS} rows as a plain React table with every row in the DOM`,
    };
    results['pcf.grid25k.scrollFrameMs'] = {
      value: round(p95(run.frames)),
      unit: 'ms',
      notes: `p95 frame interval while flicking through the ${ROWS}-row grid (12 rows per frame, ${run.frames.length} frames, ${run.scrolledRows} rows scrolled); mean ${round(mean)} ms; at most ${run.maxRowsInDom} rows in the DOM at any frame (virtualised)`,
    };
  } finally {
    await browser.close();
    await origin.close();
    await dv.close();
  }
  return results;
}

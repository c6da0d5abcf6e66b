/**
 * Drives a real virtual control class the way the platform does: init(context, notifyOutputChanged), then
 * updateView(context) each time a dataset changes (or the test says so), rendering the returned element with
 * React Testing Library.
 */
import { act, render, type RenderResult } from '@testing-library/react';
import type { MockDataset } from './mockDataset';

export interface RunningControl {
  readonly result: RenderResult;
  readonly outputsChanged: number;
  /** The platform calls updateView (e.g. after a size or visibility change). */
  update(): Promise<void>;
  /** Lets pending dataset changes, promises and timers-at-zero run, and re-renders. */
  settle(): Promise<void>;
  destroy(): void;
}

export async function runControl<TInputs>(
  control: ComponentFramework.ReactControl<TInputs, unknown>,
  context: ComponentFramework.Context<TInputs>,
  datasets: readonly MockDataset[] = [],
  /** How to let pending work run: real timers by default; tests on Jest's fake clock pass their own. */
  flush?: () => Promise<void>,
): Promise<RunningControl> {
  let outputs = 0;
  let result: RenderResult | undefined;
  let dirty = false;
  const rerender = (): void => {
    dirty = false;
    const element = control.updateView(context);
    if (result) result.rerender(element);
    else result = render(element);
  };
  for (const ds of datasets) {
    ds.onChange = () => {
      // The platform calls updateView after the change, not inside the call that caused it.
      if (dirty) return;
      dirty = true;
      void Promise.resolve().then(() => {
        act(() => rerender());
      });
    };
  }
  control.init(context, () => void (outputs += 1), {}, undefined as unknown as HTMLDivElement);
  act(() => rerender());
  const settle = async (): Promise<void> => {
    if (flush) return flush();
    for (let i = 0; i < 5; i += 1) {
      await act(async () => {
        await new Promise((r) => setTimeout(r, 0));
      });
    }
  };
  await settle();
  return {
    get result() {
      return result as RenderResult;
    },
    get outputsChanged() {
      return outputs;
    },
    update: async () => {
      act(() => rerender());
      await settle();
    },
    settle,
    destroy: () => {
      control.destroy();
      result?.unmount();
    },
  };
}

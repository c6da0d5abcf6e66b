/**
 * Browser APIs jsdom lacks and Fluent v9 uses (MessageBar measures itself with ResizeObserver). Browsers have them;
 * the stand-in observes nothing.
 */
class NoopResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}

const w = window as unknown as { ResizeObserver?: unknown };
w.ResizeObserver ??= NoopResizeObserver;

export {};

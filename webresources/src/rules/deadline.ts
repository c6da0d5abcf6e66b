/**
 * An async enable rule "counts as false if it does not resolve within 10 seconds" (Unified Interface; define
 * ribbon enable rules, "Custom rule"). Ours answer well within that: a slow or failed read resolves to a fallback
 * after `ms` instead of leaving the button to the platform's timeout.
 */
export const RULE_DEADLINE_MS = 4000;

export function withDeadline<T>(work: PromiseLike<T>, ms: number, fallback: T): Promise<T> {
  return new Promise<T>((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    Promise.resolve(work).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
}

/**
 * The client API's promises are jQuery-flavoured (`Xrm.Async.PromiseLike`: then, catch, finally, and the Web
 * Client's fail/always). A native Promise decorated with the two extra methods, recursively, so chained calls keep them.
 */
/// <reference types="xrm" />

export function xrmPromise<T>(work: Promise<T>): Xrm.Async.PromiseLike<T> {
  const wrap = <U>(p: Promise<U>): Xrm.Async.PromiseLike<U> => xrmPromise(p);
  const decorated = {
    then: <U>(onFulfilled?: (value: T) => U | PromiseLike<U>, onRejected?: (error: unknown) => U | PromiseLike<U> | void) =>
      wrap(work.then(onFulfilled as (value: T) => U, onRejected as (error: unknown) => U)),
    catch: <U>(onRejected?: (reason: unknown) => U | PromiseLike<U>) => wrap(work.catch(onRejected)),
    finally: (onFinally?: () => unknown) => wrap(work.finally(onFinally)),
    fail: <U>(onRejected?: (reason: unknown) => U | PromiseLike<U>) => wrap(work.catch(onRejected)),
    always: <U>(callback: () => U | PromiseLike<U>) => wrap(work.then(callback, callback)),
  };
  return decorated as unknown as Xrm.Async.PromiseLike<T>;
}

/** Success and error callbacks (the client API's older calling style) attached to a promise. */
export function withCallbacks<T>(work: Promise<T>, success?: (value: T) => void, failure?: (error: unknown) => void): Xrm.Async.PromiseLike<T> {
  if (success || failure) work.then(success, failure ?? (() => undefined));
  return xrmPromise(work);
}

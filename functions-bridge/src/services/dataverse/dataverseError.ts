/** A Dataverse request that failed for good: the status, Dataverse's error code and message, and what was asked. */
export class DataverseRequestError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
    readonly dataverseMessage: string,
    readonly attempts: number,
  ) {
    super(`${operation} failed${status ? ` with HTTP ${status}` : ''}${code ? ` (${code})` : ''}: ${dataverseMessage}`);
    this.name = 'DataverseRequestError';
  }

  /** 4xx other than 408/429: retrying the same request will not help. */
  get permanent(): boolean {
    return this.status !== undefined && this.status >= 400 && this.status < 500 && this.status !== 408 && this.status !== 429;
  }
}

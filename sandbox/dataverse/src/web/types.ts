/** One Web API request as the handlers see it, whether it came over HTTP or inside a $batch. */
export interface ApiRequest {
  readonly method: string;
  /** Relative to the service root (`accounts(…)?$select=name`), query string included. */
  readonly url: string;
  /** Lower-cased header names. */
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
  /** Reason phrase when it differs from Node's default (Dataverse prints a failed $batch as "400 BadRequest"). */
  reason?: string;
}

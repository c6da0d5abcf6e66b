/** Building Web API responses: JSON bodies, OData headers and Dataverse error bodies. */
import { DataverseError } from '../protocol/errors';
import { wantsAnnotation, type Preferences } from './prefer';
import type { ApiResponse } from './types';

export const ODATA_HEADERS = { 'OData-Version': '4.0' } as const;

export const JSON_CONTENT_TYPE = 'application/json; odata.metadata=minimal';
/** Query results stream (batch-changeset response sample: `odata.streaming=true`). */
export const JSON_STREAMING_CONTENT_TYPE = 'application/json; odata.metadata=minimal; odata.streaming=true';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return {
    status,
    headers: { 'Content-Type': JSON_CONTENT_TYPE, ...ODATA_HEADERS, ...headers },
    body: JSON.stringify(body),
  };
}

export function noContent(headers: Record<string, string> = {}): ApiResponse {
  return { status: 204, headers: { ...ODATA_HEADERS, ...headers } };
}

export function errorResponse(err: unknown, prefs?: Preferences): ApiResponse {
  const e = err instanceof DataverseError ? err : new DataverseError(500, '0x80040216', `An unexpected error occurred: ${err instanceof Error ? err.message : String(err)}`);
  const includeAnnotations = prefs ? wantsAnnotation(prefs, 'Microsoft.PowerApps.CDS.ErrorDetails.OperationStatus') : false;
  return json(e.status, e.toBody(includeAnnotations), e.headers);
}

/** `Preference-Applied` for the preferences that were honoured. */
export function preferenceApplied(prefs: Preferences, extra: string[] = []): Record<string, string> {
  const applied = [...extra];
  if (prefs.includeAnnotations.length) applied.push(`odata.include-annotations="${prefs.includeAnnotations.join(',')}"`);
  return applied.length ? { 'Preference-Applied': applied.join(',') } : {};
}

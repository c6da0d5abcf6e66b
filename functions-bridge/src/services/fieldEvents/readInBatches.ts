/**
 * Reads several queries in one `$batch` of GETs (one Dataverse request for up to 1,000 queries), following each
 * query's `@odata.nextLink` in further batches until every page is in. Loading a project's field state this way costs
 * a handful of requests however many tasks, work orders and bookings it has.
 */
import { DataverseRequestError } from '../dataverse/dataverseError';
import type { DataverseClient } from '../dataverse/dataverseClient';
import { partError } from '../dataverse/odataBatch';
import { BATCH_LIMIT } from '../taskSync/names';

export type Row = Record<string, unknown>;

/** `url` relative to the service root, e.g. `msdyn_workorders?$select=…&$filter=…`. */
export async function readInBatches(client: DataverseClient, operation: string, urls: readonly string[]): Promise<Row[][]> {
  const rows: Row[][] = urls.map(() => []);
  let pending = urls.map((url, index) => ({ url, index }));
  const root = client.serviceRoot;
  while (pending.length > 0) {
    const round = pending.slice(0, BATCH_LIMIT);
    pending = pending.slice(BATCH_LIMIT);
    const results = await client.sendBatch(`${operation} (${round.length} queries)`, round.map((q) => ({ kind: 'get' as const, url: q.url })));
    results.forEach((result, i) => {
      const query = round[i] as { url: string; index: number };
      if (result.kind !== 'get') throw new Error(`${operation}: the $batch answered a GET with a change set response.`);
      if (!result.ok) {
        const { code, message } = partError(result.response);
        throw new DataverseRequestError(`${operation}: GET ${query.url.split('?')[0]}`, result.response.status, code, message, 1);
      }
      const body = result.response.body as { value?: Row[]; '@odata.nextLink'?: string } | undefined;
      (rows[query.index] as Row[]).push(...(body?.value ?? []));
      const next = body?.['@odata.nextLink'];
      if (next) pending.push({ url: next.startsWith(root) ? next.slice(root.length + 1) : next.replace(/^.*\/api\/data\/v9\.\d\//, ''), index: query.index });
    });
  }
  return rows;
}

/** `$select` and `$filter` as a relative URL (values encoded the way the Web API expects in a batch part). */
export function queryUrl(entitySet: string, select: readonly string[], filter?: string): string {
  const params = [`$select=${select.join(',')}`];
  if (filter) params.push(`$filter=${encodeURIComponent(filter)}`);
  return `${entitySet}?${params.join('&')}`;
}

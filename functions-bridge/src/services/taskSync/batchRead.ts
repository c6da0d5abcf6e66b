/**
 * Several queries in one `$batch` of GETs: one Dataverse request for all of them (a batch counts as one toward the
 * 6,000-requests limit and may hold 1,000 requests). A query whose answer has more than a page follows its
 * `@odata.nextLink` with plain GETs, one request per page.
 */
import type { DataverseClient } from '../dataverse/dataverseClient';
import { BATCH_LIMIT, chunk } from './names';

export type Row = Record<string, unknown>;

export interface Expand {
  readonly property: string;
  readonly select?: string[];
  readonly filter?: string;
  readonly expand?: Expand[];
}

export interface Query {
  readonly entitySet: string;
  readonly select: string[];
  readonly filter?: string;
  readonly expand?: Expand[];
}

/** Dataverse's largest page. */
const PAGE_SIZE = 5000;

interface Page {
  value?: Row[];
  oDataNextLink?: string;
  '@odata.nextLink'?: string;
}

const nextLinkOf = (page: Page): string | undefined => page.oDataNextLink ?? page['@odata.nextLink'] ?? undefined;

/** The rows of each query, in query order. */
export async function batchRead(client: DataverseClient, operation: string, queries: readonly Query[]): Promise<Row[][]> {
  const results: Row[][] = [];
  for (const part of chunk(queries, BATCH_LIMIT)) {
    const pages = (await client.batch(`${operation} ($batch of ${part.length} GET)`, (api) => {
      for (const q of part) void api.retrieveMultiple({ collection: q.entitySet, select: q.select, filter: q.filter, expand: q.expand, maxPageSize: PAGE_SIZE });
    })) as Page[];
    for (const [i, first] of pages.entries()) {
      const q = part[i] as Query;
      const rows = [...(first.value ?? [])];
      let link = nextLinkOf(first);
      while (link) {
        const current = link;
        const page = (await client.execute(`${operation}: next page of ${q.entitySet}`, (api) =>
          api.retrieveMultiple({ collection: q.entitySet, maxPageSize: PAGE_SIZE }, current),
        )) as Page;
        rows.push(...(page.value ?? []));
        link = nextLinkOf(page);
      }
      results.push(rows);
    }
  }
  return results;
}

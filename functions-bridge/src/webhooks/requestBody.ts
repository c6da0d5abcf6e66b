/**
 * The edge checks before a webhook body is parsed: JSON only (415 otherwise) and bounded in size (413).
 *
 * Dataverse never posts more than 256 KB: above that it strips the data and says so in a header (dataverse-facts §4).
 * A body twice that size cannot have come from Dataverse, so the bridge refuses it before buffering it.
 */
import type { HttpResponseInit } from '@azure/functions';
import { problemResponse } from './problem';

export const MAX_WEBHOOK_BODY_BYTES = 512 * 1024;

/** What is read from a request: `HttpRequest` from @azure/functions fits. */
export interface BodyRequest {
  readonly headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}

export type BodyRead = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly response: HttpResponseInit };

const isJson = (contentType: string | null): boolean => {
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return media === 'application/json' || (media.startsWith('application/') && media.endsWith('+json'));
};

const tooLarge = (maxBytes: number): BodyRead => ({
  ok: false,
  response: problemResponse({
    status: 413,
    title: 'Body too large',
    detail: `A webhook body may be at most ${maxBytes} bytes; Dataverse strips payloads over 256 KB and sends ids only.`,
  }),
});

/** Reads a JSON body of at most `maxBytes` as UTF-8 text, or answers 415/413. */
export async function readJsonBody(request: BodyRequest, maxBytes = MAX_WEBHOOK_BODY_BYTES): Promise<BodyRead> {
  if (!isJson(request.headers.get('content-type'))) {
    return {
      ok: false,
      response: problemResponse({
        status: 415,
        title: 'Unsupported media type',
        detail: 'Send the RemoteExecutionContext as application/json (what a Dataverse webhook posts).',
      }),
    };
  }
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge(maxBytes);
  const bytes = await request.arrayBuffer();
  if (bytes.byteLength > maxBytes) return tooLarge(maxBytes);
  return { ok: true, text: Buffer.from(bytes).toString('utf8') };
}

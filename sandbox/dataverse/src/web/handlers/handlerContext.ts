/** What every handler needs: the service, the schema, the caller's operation context and the request's preferences. */
import type { SchemaModel } from '@pfb/domain';
import { errors } from '../../protocol/errors';
import type { OperationContext } from '../../pipeline/context';
import type { OrganizationService } from '../../pipeline/organizationService';
import type { Store } from '../../store/store';
import type { Preferences } from '../prefer';
import type { ApiRequest } from '../types';

export interface HandlerContext {
  readonly request: ApiRequest;
  readonly query: URLSearchParams;
  readonly prefs: Preferences;
  readonly service: OrganizationService;
  readonly schema: SchemaModel;
  readonly store: Store;
  readonly op: OperationContext;
  /** e.g. http://127.0.0.1:5555/api/data/v9.2/ */
  readonly serviceRoot: string;
  readonly organizationId: string;
}

export function parseJsonBody(body: string): Record<string, unknown> {
  if (!body.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    throw errors.badRequest(`Error in the request body: it is not valid JSON (${(e as Error).message}).`, '0x80048d19');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw errors.badRequest('Error in the request body: a JSON object was expected.', '0x80048d19');
  }
  return parsed as Record<string, unknown>;
}

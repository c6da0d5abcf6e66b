/**
 * A request object of `Xrm.WebApi.online.execute` → the HTTP request it stands for. What to send comes from the
 * object's `getMetadata()` (execute.md, "request.getMetadata method"):
 * - operationType 2 (CRUD), operationName Create / Retrieve / Update / Delete / Associate / Disassociate, with the
 *   properties Microsoft's samples use (xrm-execute-crud-*.js, xrm-execute-associate.js): `etn` + `payload`,
 *   `entityReference` (+ `columns`), `etn` + `id` + `payload`, `target` + `relatedEntities` + `relationship`…;
 * - operationType 0 (action, POST) or 1 (function, GET), unbound (boundParameter null), bound to a record
 *   (boundParameter "entity", the record in `request.entity`) or to a table (boundParameter "entityset", the table in
 *   `request.entityset` or the `entityset` parameter's type `mscrm.<table>`), parameters from `parameterTypes`.
 */
import { clientError } from './errors';
import type { EntityMetadataIndex } from './metadata';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface HttpOperation {
  readonly method: HttpMethod;
  /** Relative to the service root (no leading slash), query included. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

interface ParameterType {
  readonly typeName?: string;
  readonly structuralProperty?: number;
  readonly enumProperties?: readonly { readonly name: string; readonly value: number }[];
}

export interface RequestMetadata {
  readonly boundParameter?: string | null;
  readonly parameterTypes?: Readonly<Record<string, ParameterType>>;
  readonly operationType?: number;
  readonly operationName?: string;
}

export interface ExecuteRequestObject {
  getMetadata(): RequestMetadata;
  readonly [property: string]: unknown;
}

/** execute.md: structuralProperty 0 Unknown, 1 PrimitiveType, 2 ComplexType, 3 EnumerationType, 4 Collection, 5 EntityType. */
const ENUM = 3;
const COLLECTION = 4;
const ENTITY = 5;

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' } as const;

interface EntityReference {
  readonly entityType?: string;
  readonly id?: string;
}

const bareId = (id: unknown): string => String(id ?? '').replace(/[{}]/g, '').toLowerCase();

export class OperationBuilder {
  constructor(private readonly metadata: EntityMetadataIndex) {}

  entitySet(logicalName: unknown): string {
    const set = typeof logicalName === 'string' ? this.metadata.entitySetOf(logicalName) : undefined;
    if (!set) throw clientError(`The table '${String(logicalName)}' does not exist in this environment (no entity set in $metadata).`);
    return set;
  }

  record(ref: EntityReference | undefined, what: string): string {
    if (!ref?.entityType || !ref.id) throw clientError(`${what} needs an entity reference { entityType, id }.`);
    return `${this.entitySet(ref.entityType)}(${bareId(ref.id)})`;
  }

  /** The HTTP requests of one request object (Associate with several related records gives several). */
  build(request: ExecuteRequestObject): HttpOperation[] {
    if (!request || typeof request.getMetadata !== 'function') throw clientError('A request object must expose getMetadata().');
    const meta = request.getMetadata();
    const name = meta.operationName;
    if (!name) throw clientError('getMetadata() returned no operationName.');
    if (meta.operationType === 2) return this.crud(name, request);
    if (meta.operationType === 0 || meta.operationType === 1) return [this.operation(meta, request)];
    throw clientError(`Unknown operationType ${String(meta.operationType)} for ${name}: use 0 (action), 1 (function) or 2 (CRUD).`);
  }

  private crud(name: string, r: ExecuteRequestObject): HttpOperation[] {
    switch (name) {
      case 'Create':
        return [{ method: 'POST', path: this.entitySet(r['etn']), headers: JSON_HEADERS, body: JSON.stringify(r['payload'] ?? {}) }];
      case 'Retrieve': {
        const columns = Array.isArray(r['columns']) ? (r['columns'] as unknown[]).map(String) : [];
        const query = columns.length ? `?$select=${columns.join(',')}` : '';
        return [{ method: 'GET', path: `${this.record(r['entityReference'] as EntityReference, 'Retrieve')}${query}`, headers: {} }];
      }
      case 'Update':
        // Update, never create: "If-Match: *" makes a PATCH to a missing row a 404 instead of an upsert (dataverse-facts §5.4).
        return [
          {
            method: 'PATCH',
            path: `${this.entitySet(r['etn'])}(${bareId(r['id'])})`,
            headers: { ...JSON_HEADERS, 'If-Match': '*' },
            body: JSON.stringify(r['payload'] ?? {}),
          },
        ];
      case 'Delete':
        return [{ method: 'DELETE', path: this.record(r['entityReference'] as EntityReference, 'Delete'), headers: {} }];
      case 'Associate': {
        const target = this.record(r['target'] as EntityReference, 'Associate');
        const related = Array.isArray(r['relatedEntities']) ? (r['relatedEntities'] as EntityReference[]) : [];
        return related.map((e) => ({
          method: 'POST' as const,
          path: `${target}/${String(r['relationship'])}/$ref`,
          headers: JSON_HEADERS,
          body: JSON.stringify({ '@odata.id': this.record(e, 'Associate') }),
        }));
      }
      case 'Disassociate':
        return [
          {
            method: 'DELETE',
            path: `${this.record(r['target'] as EntityReference, 'Disassociate')}/${String(r['relationship'])}(${bareId(r['relatedEntityId'])})/$ref`,
            headers: {},
          },
        ];
      default:
        throw clientError(`CRUD operation '${name}' is not one of Create, Retrieve, Update, Delete, Associate, Disassociate.`);
    }
  }

  private operation(meta: RequestMetadata, r: ExecuteRequestObject): HttpOperation {
    const name = meta.operationName as string;
    const bound = meta.boundParameter ?? null;
    const types = meta.parameterTypes ?? {};
    let prefix = '';
    if (bound === 'entity') prefix = `${this.record(r['entity'] as EntityReference, name)}/Microsoft.Dynamics.CRM.`;
    else if (bound === 'entityset') {
      const table = typeof r['entityset'] === 'string' ? r['entityset'] : types['entityset']?.typeName?.replace(/^mscrm\./, '');
      prefix = `${this.entitySet(table)}/Microsoft.Dynamics.CRM.`;
    } else if (bound) throw clientError(`boundParameter '${bound}' is not supported: use null, 'entity' or 'entityset'.`);

    const parameters = Object.entries(types).filter(([p]) => p !== bound && r[p] !== undefined);
    if (meta.operationType === 0) {
      const body: Record<string, unknown> = {};
      for (const [p, type] of parameters) body[p] = this.bodyValue(r[p], type);
      return { method: 'POST', path: `${prefix}${name}`, headers: JSON_HEADERS, body: JSON.stringify(body) };
    }
    // Functions take their parameters as aliases: Name(P=@p1)?@p1=<literal> (use-web-api-functions).
    const aliases = parameters.map(([p], i) => `${p}=@p${i + 1}`).join(',');
    const values = parameters.map(([p, type], i) => `@p${i + 1}=${encodeURIComponent(this.literal(r[p], type))}`).join('&');
    return { method: 'GET', path: `${prefix}${name}(${aliases})${values ? `?${values}` : ''}`, headers: {} };
  }

  private bodyValue(value: unknown, type: ParameterType): unknown {
    if (type.structuralProperty === ENUM && typeof value === 'number') {
      return type.enumProperties?.find((e) => e.value === value)?.name ?? String(value);
    }
    const table = type.typeName?.replace(/^mscrm\./, '');
    // An entity parameter of a known table carries its type so the service can read it (crmbaseentity needs it given).
    if (type.structuralProperty === ENTITY && table && table !== 'crmbaseentity' && value && typeof value === 'object' && !('@odata.type' in value)) {
      return { '@odata.type': `Microsoft.Dynamics.CRM.${table}`, ...(value as object) };
    }
    return value;
  }

  private literal(value: unknown, type: ParameterType): string {
    const t = type.typeName ?? '';
    if (type.structuralProperty === ENUM) {
      const name = typeof value === 'number' ? (type.enumProperties?.find((e) => e.value === value)?.name ?? String(value)) : String(value);
      return `${t.replace(/^mscrm\./, 'Microsoft.Dynamics.CRM.')}'${name}'`;
    }
    if (type.structuralProperty === ENTITY || type.structuralProperty === COLLECTION || (value && typeof value === 'object')) return JSON.stringify(value);
    if (t === 'Edm.String') return `'${String(value).replace(/'/g, "''")}'`;
    if (t === 'Edm.Guid') return bareId(value);
    if (value instanceof Date) return value.toISOString();
    return String(value);
  }
}

/**
 * Reads the `RemoteExecutionContext` a Dataverse webhook step posts ("Use webhooks", Request body; dataverse-facts §4)
 * into plain values the bridge can decide on.
 *
 * The body is .NET DataContractJsonSerializer output, so:
 * - InputParameters, Attributes, images, FormattedValues and SharedVariables are arrays of `{key, value}`, not maps;
 * - a value whose runtime type differs from the declared one carries `__type` (`EntityReference:…`,
 *   `OptionSetValue:…`, `Money:…`, `Entity:…`); images are declared as Entity and carry none;
 * - dates are `\/Date(ms)\/` or `\/Date(ms±hhmm)\/` (after JSON parsing `/Date(…)/`); the milliseconds are UTC, the
 *   offset only says which zone the writer was in.
 *
 * Values come out as the Web API would give them: ISO 8601 strings for dates, numbers for choices and money,
 * `{ logicalName, id, name }` for lookups, lower-case GUIDs.
 *
 * Above 256 KB Dataverse drops ParentContext, InputParameters and the images and sends
 * `x-ms-dynamics-msg-size-exceeded`: then `sizeExceeded` is true and the record must be re-read by id. Queue
 * messages carry ids only, so the workers re-read anyway.
 */
import { z } from 'zod';

/** Header Dataverse adds when the payload exceeded 256 KB and lost its data. */
export const SIZE_EXCEEDED_HEADER = 'x-ms-dynamics-msg-size-exceeded';

export interface EntityReferenceValue {
  readonly logicalName: string;
  readonly id: string;
  readonly name: string | null;
}

export interface EntityValue {
  readonly logicalName: string;
  readonly id: string;
  readonly attributes: Record<string, unknown>;
}

export interface ParsedExecutionContext {
  /** Create, Update, Delete… */
  readonly messageName: string;
  readonly primaryEntityName: string;
  /** Lower-case GUID. */
  readonly primaryEntityId: string;
  readonly correlationId: string;
  readonly depth: number;
  /** 40 PostOperation for our steps; null when not sent. */
  readonly stage: number | null;
  /** 0 synchronous, 1 asynchronous; null when not sent. */
  readonly mode: number | null;
  readonly organizationName: string | null;
  readonly userId: string | null;
  /** Who started the operation (the step may run as another user). */
  readonly initiatingUserId: string | null;
  /** ISO 8601, UTC. */
  readonly operationCreatedOn: string | null;
  /** The Target entity's attributes (Create, Update); empty for a Delete (its Target is a reference) or when stripped. */
  readonly target: Record<string, unknown>;
  /** Delete: the Target reference. */
  readonly targetReference?: EntityReferenceValue;
  /** The Target's RowVersion when Dataverse sent one. */
  readonly targetRowVersion: string | null;
  /** The pre-entity images' attributes, merged in the order sent (normally one image). */
  readonly preImage?: Record<string, unknown>;
  /** The post-entity images' attributes, merged (the async step's AsynchronousStepPrimaryName and any registered). */
  readonly postImage?: Record<string, unknown>;
  /** Each image by its alias. */
  readonly preImages: Readonly<Record<string, Record<string, unknown>>>;
  readonly postImages: Readonly<Record<string, Record<string, unknown>>>;
  /** The data is gone (header sent, or no InputParameters): re-read the record by id. */
  readonly sizeExceeded: boolean;
}

/** The body is not a RemoteExecutionContext; `problems` says where (never quoting values). */
export class WebhookPayloadError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The body is not a Dataverse RemoteExecutionContext: ${problems.join('; ')}`);
    this.name = 'WebhookPayloadError';
  }
}

// ---- the wire shape (validated) ----------------------------------------------------------------------------------

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const guid = z.string().regex(GUID, 'must be a GUID');

const keyValue = z.object({ key: z.string(), value: z.unknown() });

const entityJson = z
  .object({
    __type: z.string().optional(),
    Attributes: z.array(keyValue),
    Id: guid,
    LogicalName: z.string(),
    RowVersion: z.string().nullish(),
  })
  .passthrough();

const entityReferenceJson = z
  .object({
    __type: z.string().optional(),
    Id: guid,
    LogicalName: z.string().min(1),
    Name: z.string().nullish(),
  })
  .passthrough();

/** Collections Dataverse strips over 256 KB: absent, null or [] all mean "none". */
const strippable = <T extends z.ZodTypeAny>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);

const contextJson = z
  .object({
    MessageName: z.string().min(1),
    PrimaryEntityName: z.string().min(1),
    PrimaryEntityId: guid,
    CorrelationId: z.string(),
    Depth: z.number().int().min(0),
    Stage: z.number().int().optional(),
    Mode: z.number().int().optional(),
    OrganizationName: z.string().nullish(),
    UserId: guid.nullish(),
    InitiatingUserId: guid.nullish(),
    OperationCreatedOn: z.string().nullish(),
    InputParameters: strippable(keyValue),
    PreEntityImages: strippable(z.object({ key: z.string(), value: entityJson })),
    PostEntityImages: strippable(z.object({ key: z.string(), value: entityJson })),
  })
  .passthrough();

// ---- values ------------------------------------------------------------------------------------------------------

const DATA_CONTRACT_DATE = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/;

/** `/Date(1506409448000-0700)/` → `2017-09-26T07:04:08.000Z`; anything else → undefined. */
export function parseDataContractDate(text: string): string | undefined {
  const m = DATA_CONTRACT_DATE.exec(text);
  if (!m) return undefined;
  const date = new Date(Number(m[1]));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const typeName = (v: Record<string, unknown>): string => (typeof v['__type'] === 'string' ? (v['__type'].split(':')[0] ?? '') : '');

function isReferenceShape(v: Record<string, unknown>): boolean {
  return typeof v['Id'] === 'string' && typeof v['LogicalName'] === 'string' && !Array.isArray(v['Attributes']);
}

function referenceOf(v: Record<string, unknown>): EntityReferenceValue {
  return { logicalName: String(v['LogicalName']), id: String(v['Id']).toLowerCase(), name: typeof v['Name'] === 'string' ? v['Name'] : null };
}

/** One attribute or parameter value, from the SDK's serialized types to Web API-like values. */
export function fromDataContract(value: unknown): unknown {
  if (typeof value === 'string') return parseDataContractDate(value) ?? value;
  if (Array.isArray(value)) return value.map(fromDataContract);
  if (value === null || typeof value !== 'object') return value;
  const v = value as Record<string, unknown>;
  switch (typeName(v)) {
    case 'EntityReference':
      return referenceOf(v);
    case 'OptionSetValue':
    case 'Money':
      return v['Value'];
    case 'Entity':
      return entityOf(v);
    default:
      if (isReferenceShape(v)) return referenceOf(v);
      if (Array.isArray(v['Attributes'])) return entityOf(v);
      return value;
  }
}

function attributesOf(pairs: readonly { key: string; value?: unknown }[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of pairs) out[key] = fromDataContract(value);
  return out;
}

function entityOf(v: Record<string, unknown>): EntityValue {
  const attrs = Array.isArray(v['Attributes']) ? (v['Attributes'] as { key: string; value: unknown }[]) : [];
  return { logicalName: String(v['LogicalName']), id: String(v['Id']).toLowerCase(), attributes: attributesOf(attrs) };
}

function imagesOf(images: readonly { key: string; value: z.infer<typeof entityJson> }[]): {
  merged?: Record<string, unknown>;
  byAlias: Record<string, Record<string, unknown>>;
} {
  if (images.length === 0) return { byAlias: {} };
  const byAlias: Record<string, Record<string, unknown>> = {};
  let merged: Record<string, unknown> = {};
  for (const image of images) {
    const attrs = attributesOf(image.value.Attributes);
    byAlias[image.key] = attrs;
    merged = { ...merged, ...attrs };
  }
  return { merged, byAlias };
}

// ---- headers -----------------------------------------------------------------------------------------------------

export type HeadersLike = { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

export function headerValue(headers: HeadersLike, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key === undefined ? undefined : record[key];
  return Array.isArray(v) ? v.join(', ') : (v as string | undefined);
}

// ---- parsing -----------------------------------------------------------------------------------------------------

function issuePath(path: readonly (string | number)[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '') || 'body';
}

/**
 * Parses and validates a webhook body. Throws WebhookPayloadError when it is not JSON or not a
 * RemoteExecutionContext; the error names the members at fault, never their values.
 */
export function parseRemoteExecutionContext(body: string, headers: HeadersLike): ParsedExecutionContext {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (e) {
    throw new WebhookPayloadError([`the body is not JSON (${e instanceof SyntaxError ? e.message.replace(/"[^"]*"/g, '…') : 'unreadable'})`]);
  }
  const parsed = contextJson.safeParse(json);
  if (!parsed.success) {
    throw new WebhookPayloadError(parsed.error.issues.slice(0, 10).map((i) => `${issuePath(i.path)} ${i.message}`));
  }
  const ctx = parsed.data;

  let target: Record<string, unknown> = {};
  let targetReference: EntityReferenceValue | undefined;
  let targetRowVersion: string | null = null;
  const targetParameter = ctx.InputParameters.find((p) => p.key === 'Target');
  if (targetParameter) {
    const asEntity = entityJson.safeParse(targetParameter.value);
    if (asEntity.success) {
      target = attributesOf(asEntity.data.Attributes);
      targetRowVersion = asEntity.data.RowVersion ?? null;
    } else {
      const asReference = entityReferenceJson.safeParse(targetParameter.value);
      if (!asReference.success) {
        throw new WebhookPayloadError(['InputParameters Target is neither an Entity nor an EntityReference']);
      }
      targetReference = referenceOf(asReference.data);
    }
  }

  const pre = imagesOf(ctx.PreEntityImages);
  const post = imagesOf(ctx.PostEntityImages);
  const operationCreatedOn = ctx.OperationCreatedOn ? (parseDataContractDate(ctx.OperationCreatedOn) ?? null) : null;
  return {
    messageName: ctx.MessageName,
    primaryEntityName: ctx.PrimaryEntityName,
    primaryEntityId: ctx.PrimaryEntityId.toLowerCase(),
    correlationId: ctx.CorrelationId.toLowerCase(),
    depth: ctx.Depth,
    stage: ctx.Stage ?? null,
    mode: ctx.Mode ?? null,
    organizationName: ctx.OrganizationName ?? null,
    userId: ctx.UserId ? ctx.UserId.toLowerCase() : null,
    initiatingUserId: ctx.InitiatingUserId ? ctx.InitiatingUserId.toLowerCase() : null,
    operationCreatedOn,
    target,
    ...(targetReference ? { targetReference } : {}),
    targetRowVersion,
    ...(pre.merged ? { preImage: pre.merged } : {}),
    ...(post.merged ? { postImage: post.merged } : {}),
    preImages: pre.byAlias,
    postImages: post.byAlias,
    sizeExceeded: headerValue(headers, SIZE_EXCEEDED_HEADER) !== undefined || ctx.InputParameters.length === 0,
  };
}

/**
 * The `RemoteExecutionContext` a webhook step posts, shaped and serialized as Dataverse does it.
 *
 * Dataverse serializes the SDK's `RemoteExecutionContext` with .NET's DataContractJsonSerializer ("Use webhooks",
 * Request body; dataverse-facts §4). What that implies, and what this module reproduces:
 * - members in the contract's alphabetical order, collections (`InputParameters`, `Attributes`, images,
 *   `FormattedValues`, `SharedVariables`) as arrays of `{key, value}`, never as maps;
 * - a `__type` member, written first, wherever the runtime type differs from the declared one: an Entity or an
 *   EntityReference inside an object-typed slot (InputParameters, Attributes), OptionSetValue, Money. Entity images
 *   and OwningExtension are declared with their own type, so they carry none (see the docs sample);
 * - DateTime as `\/Date(<ms since epoch>)\/` (UTC kind) or `\/Date(<ms>±hhmm)\/` (local kind, as OperationCreatedOn);
 * - `/` escaped as `\/` in every string, compact output (no whitespace).
 *
 * Known differences, kept on purpose: .NET decimals keep their stored scale (Money `100.0000`), we write the shortest
 * JSON number (`100`), which is the same value to every JSON reader. Newer environments add members the docs
 * sample does not show (InitiatingUserAzureActiveDirectoryObjectId, InitiatingUserAgent,
 * UserAzureActiveDirectoryObjectId); we follow the published sample.
 */
import type { ColumnDef, TableDef } from '@pfb/domain';
import { isEntityReference, type AttributeValue, type Attributes, type EntityReference } from '../store/types';

const CONTRACTS = 'http://schemas.microsoft.com/xrm/2011/Contracts';

/** `__type` hints as DataContractJsonSerializer writes them (`<DataContract name>:<namespace>`). */
export const XrmJsonType = {
  Entity: `Entity:${CONTRACTS}`,
  EntityReference: `EntityReference:${CONTRACTS}`,
  OptionSetValue: `OptionSetValue:${CONTRACTS}`,
  Money: `Money:${CONTRACTS}`,
  KeyValuePairOfStringString: 'KeyValuePairOfstringstring:#System.Collections.Generic',
} as const;

/** Above this many bytes Dataverse strips the body and adds `x-ms-dynamics-msg-size-exceeded` ("Use webhooks"). */
export const WEBHOOK_MAX_PAYLOAD_BYTES = 256 * 1024;

// ---- the JSON shape --------------------------------------------------------------------------------------------

export type KeyValue<V> = { key: string; value: V };

export type EntityReferenceJson = {
  __type?: string;
  Id: string;
  KeyAttributes: KeyValue<string>[];
  LogicalName: string;
  Name: string | null;
  RowVersion: string | null;
};

export type OptionSetValueJson = { __type: string; Value: number };
export type MoneyJson = { __type: string; Value: number };
export type AttributeJson = string | number | boolean | null | EntityReferenceJson | OptionSetValueJson | MoneyJson;

export type EntityJson = {
  __type?: string;
  Attributes: KeyValue<AttributeJson>[];
  EntityState: null;
  FormattedValues: KeyValue<string>[];
  Id: string;
  KeyAttributes: KeyValue<string>[];
  LogicalName: string;
  RelatedEntities: never[];
  RowVersion: string | null;
};

export type KeyValuePairOfStringStringJson = { __type: string; key: string; value: string };
export type ParameterJson = AttributeJson | EntityJson;
export type SharedVariableJson = string | number | boolean | null | KeyValuePairOfStringStringJson[];

/** Property names and order exactly as in the docs sample (use-webhooks.md, "Request body"). */
export type RemoteExecutionContext = {
  BusinessUnitId: string;
  CorrelationId: string;
  Depth: number;
  InitiatingUserId: string;
  InputParameters: KeyValue<ParameterJson>[];
  IsExecutingOffline: boolean;
  IsInTransaction: boolean;
  IsOfflinePlayback: boolean;
  IsolationMode: number;
  MessageName: string;
  Mode: number;
  OperationCreatedOn: string;
  OperationId: string;
  OrganizationId: string;
  OrganizationName: string;
  OutputParameters: KeyValue<ParameterJson>[];
  OwningExtension: EntityReferenceJson;
  ParentContext: RemoteExecutionContext | null;
  PostEntityImages: KeyValue<EntityJson>[];
  PreEntityImages: KeyValue<EntityJson>[];
  PrimaryEntityId: string;
  PrimaryEntityName: string;
  RequestId: string | null;
  SecondaryEntityName: string;
  SharedVariables: KeyValue<SharedVariableJson>[];
  Stage: number;
  UserId: string;
};

// ---- the input -------------------------------------------------------------------------------------------------

/** A registered entity image: its alias (`AsynchronousStepPrimaryName` for the default async image) and columns. */
export interface EntityImageInput {
  readonly alias: string;
  readonly attributes: Attributes;
}

/** Input or output parameter values besides Target (e.g. `SuppressDuplicateDetection: false`, Create's `id`). */
export type ParameterValue = string | number | boolean | null | EntityReference;

/** Shared variable values; `stringPairs` is the `KeyValuePair<string,string>[]` of e.g. ChangedEntityTypes. */
export type SharedVariableValue = string | number | boolean | null | { readonly stringPairs: readonly (readonly [string, string])[] };

export interface ExecutionContextInput {
  readonly messageName: string;
  readonly table: TableDef;
  readonly primaryEntityId: string;
  /** Create/Update: the attributes of the operation's Target entity (in order); Delete: the target reference. */
  readonly target?: Attributes | EntityReference;
  /** Target RowVersion (the row's versionnumber on newer environments); null in the docs sample. */
  readonly targetRowVersion?: string | null;
  /**
   * Formatted values of the Target. Default: computed for a post-operation Create (the platform has retrieved the
   * row by then) and empty otherwise, as in the published payloads (Update Targets carry none).
   */
  readonly targetFormattedValues?: Readonly<Record<string, string>>;
  /** Further input parameters, written after Target in this order. */
  readonly inputParameters?: readonly { readonly key: string; readonly value: ParameterValue }[];
  readonly outputParameters?: readonly { readonly key: string; readonly value: ParameterValue }[];
  readonly preImages?: readonly EntityImageInput[];
  readonly postImages?: readonly EntityImageInput[];
  readonly sharedVariables?: readonly { readonly key: string; readonly value: SharedVariableValue }[];
  readonly userId: string;
  readonly initiatingUserId: string;
  readonly businessUnitId: string;
  readonly organizationId: string;
  readonly organizationName: string;
  readonly correlationId: string;
  readonly operationId: string;
  readonly requestId?: string | null;
  readonly depth: number;
  /** 0 synchronous, 1 asynchronous (sdkmessageprocessingstep.mode). */
  readonly mode: 0 | 1;
  /** 10 PreValidation, 20 PreOperation, 30 core operation (parent contexts), 40 PostOperation. */
  readonly stage: 10 | 20 | 30 | 40;
  readonly owningStepId: string;
  /** OwningExtension.Name: null in the docs sample, the step name in some newer payloads. */
  readonly owningStepName?: string | null;
  readonly operationCreatedOn: Date;
  /**
   * UTC offset in minutes written after OperationCreatedOn's milliseconds (a local-kind DateTime): the docs sample
   * shows `-0700` (-420), online environments `+0000` (0, the default). null writes the UTC form without offset.
   */
  readonly operationCreatedOnOffsetMinutes?: number | null;
  /** IsolationMode: 1 in every published webhook payload (2 = sandbox for plug-ins). */
  readonly isolationMode?: number;
  /** IsInTransaction: false for asynchronous steps (docs sample), true for synchronous ones. Default from mode. */
  readonly isInTransaction?: boolean;
  readonly secondaryEntityName?: string;
  /** The core-operation (Stage 30) context Dataverse nests in a post-operation context. */
  readonly parentContext?: ExecutionContextInput;
}

// ---- building --------------------------------------------------------------------------------------------------

const guid = (id: string): string => id.toLowerCase();

/** `/Date(ms)/` for a UTC instant; with an offset `/Date(ms±hhmm)/` (the offset does not change the ms). */
export function dataContractDate(at: Date | string | number, offsetMinutes: number | null = null): string {
  const ms = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) throw new Error(`Not a date: ${String(at)}`);
  if (offsetMinutes === null) return `/Date(${ms})/`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hhmm = `${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
  return `/Date(${ms}${sign}${hhmm})/`;
}

function referenceJson(ref: EntityReference, typed: boolean): EntityReferenceJson {
  const body = { Id: guid(ref.id), KeyAttributes: [], LogicalName: ref.logicalName, Name: ref.name ?? null, RowVersion: null };
  return typed ? { __type: XrmJsonType.EntityReference, ...body } : body;
}

/** One attribute value in the SDK's types, chosen from the column's type (or the value's, for unmodelled columns). */
function attributeJson(column: ColumnDef | undefined, value: AttributeValue): AttributeJson {
  if (value === null) return null;
  if (isEntityReference(value)) return referenceJson(value, true);
  switch (column?.type) {
    case 'uniqueidentifier':
      return typeof value === 'string' ? guid(value) : value;
    case 'picklist':
    case 'state':
    case 'status':
      return typeof value === 'number' ? { __type: XrmJsonType.OptionSetValue, Value: value } : value;
    case 'money':
      return typeof value === 'number' ? { __type: XrmJsonType.Money, Value: value } : value;
    case 'datetime':
      // DateOnly values ('2026-01-02') are midnight UTC; Date.parse reads a bare date as UTC.
      return typeof value === 'string' && Number.isFinite(Date.parse(value)) ? dataContractDate(value) : value;
    case 'lookup':
    case 'owner':
    case 'customer': {
      // A bare GUID on a single-target lookup: the reference Dataverse would have built.
      const target = column.targets?.[0];
      return typeof value === 'string' && target && column.targets?.length === 1 ? referenceJson({ logicalName: target, id: value }, true) : value;
    }
    default:
      return value;
  }
}

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 10 });
const moneyFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/**
 * The formatted value Dataverse adds for a column, as seen in published payloads: choice labels, Yes/No, numbers
 * with grouping, money with its currency symbol (we assume USD), date-times as `yyyy-MM-ddTHH:mm:ss-00:00` (UTC).
 * Strings, GUIDs and lookups get none.
 */
function formattedValue(column: ColumnDef | undefined, value: AttributeValue): string | undefined {
  if (value === null || column === undefined || isEntityReference(value)) return undefined;
  switch (column.type) {
    case 'picklist':
    case 'state':
    case 'status':
      return column.optionSet?.options.find((o) => o.value === value)?.label;
    case 'boolean':
      return typeof value === 'boolean' ? (value ? 'Yes' : 'No') : undefined;
    case 'integer':
    case 'bigint':
      return typeof value === 'number' ? numberFormat.format(value) : undefined;
    case 'decimal':
    case 'double':
      return typeof value === 'number'
        ? new Intl.NumberFormat('en-US', { minimumFractionDigits: column.precision ?? 2, maximumFractionDigits: column.precision ?? 2 }).format(value)
        : undefined;
    case 'money':
      return typeof value === 'number' ? moneyFormat.format(value) : undefined;
    case 'datetime': {
      const ms = typeof value === 'string' ? Date.parse(value) : NaN;
      return Number.isFinite(ms) ? `${new Date(ms).toISOString().slice(0, 19)}-00:00` : undefined;
    }
    default:
      return undefined;
  }
}

function formattedValuesOf(table: TableDef, attributes: Attributes): KeyValue<string>[] {
  const out: KeyValue<string>[] = [];
  for (const [key, value] of Object.entries(attributes)) {
    const text = formattedValue(table.columns[key], value);
    if (text !== undefined) out.push({ key, value: text });
  }
  return out;
}

function entityJson(
  table: TableDef,
  id: string,
  attributes: Attributes,
  opts: { typed: boolean; formattedValues: KeyValue<string>[]; rowVersion: string | null },
): EntityJson {
  const body: EntityJson = {
    Attributes: Object.entries(attributes).map(([key, value]) => ({ key, value: attributeJson(table.columns[key], value) })),
    EntityState: null,
    FormattedValues: opts.formattedValues,
    Id: guid(id),
    KeyAttributes: [],
    LogicalName: table.logicalName,
    RelatedEntities: [],
    RowVersion: opts.rowVersion,
  };
  return opts.typed ? { __type: XrmJsonType.Entity, ...body } : body;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parameters are object-typed: a GUID string stands for a .NET Guid, which the serializer writes lower-case. */
function parameterJson(value: ParameterValue): ParameterJson {
  if (isEntityReference(value)) return referenceJson(value, true);
  return typeof value === 'string' && GUID.test(value) ? guid(value) : value;
}

function sharedVariableJson(value: SharedVariableValue): SharedVariableJson {
  if (value !== null && typeof value === 'object') {
    return value.stringPairs.map(([key, v]) => ({ __type: XrmJsonType.KeyValuePairOfStringString, key, value: v }));
  }
  return value;
}

function targetParameter(input: ExecutionContextInput): KeyValue<ParameterJson>[] {
  const { target, table } = input;
  if (target === undefined) return [];
  if (isEntityReference(target)) return [{ key: 'Target', value: referenceJson(target, true) }];
  const formatted = input.targetFormattedValues
    ? Object.entries(input.targetFormattedValues).map(([key, value]) => ({ key, value }))
    : input.messageName === 'Create' && input.stage === 40
      ? formattedValuesOf(table, target)
      : [];
  return [
    {
      key: 'Target',
      value: entityJson(table, input.primaryEntityId, target, { typed: true, formattedValues: formatted, rowVersion: input.targetRowVersion ?? null }),
    },
  ];
}

function images(input: ExecutionContextInput, list: readonly EntityImageInput[] | undefined): KeyValue<EntityJson>[] {
  return (list ?? []).map((image) => ({
    key: image.alias,
    value: entityJson(input.table, input.primaryEntityId, image.attributes, {
      typed: false,
      formattedValues: formattedValuesOf(input.table, image.attributes),
      rowVersion: null,
    }),
  }));
}

/** Builds the context object; `serializeRemoteExecutionContext` turns it into the text Dataverse posts. */
export function buildRemoteExecutionContext(input: ExecutionContextInput): RemoteExecutionContext {
  const offset = input.operationCreatedOnOffsetMinutes === undefined ? 0 : input.operationCreatedOnOffsetMinutes;
  return {
    BusinessUnitId: guid(input.businessUnitId),
    CorrelationId: guid(input.correlationId),
    Depth: input.depth,
    InitiatingUserId: guid(input.initiatingUserId),
    InputParameters: [
      ...targetParameter(input),
      ...(input.inputParameters ?? []).map((p) => ({ key: p.key, value: parameterJson(p.value) })),
    ],
    IsExecutingOffline: false,
    IsInTransaction: input.isInTransaction ?? input.mode === 0,
    IsOfflinePlayback: false,
    IsolationMode: input.isolationMode ?? 1,
    MessageName: input.messageName,
    Mode: input.mode,
    OperationCreatedOn: dataContractDate(input.operationCreatedOn, offset),
    OperationId: guid(input.operationId),
    OrganizationId: guid(input.organizationId),
    OrganizationName: input.organizationName,
    OutputParameters: (input.outputParameters ?? []).map((p) => ({ key: p.key, value: parameterJson(p.value) })),
    OwningExtension: {
      Id: guid(input.owningStepId),
      KeyAttributes: [],
      LogicalName: 'sdkmessageprocessingstep',
      Name: input.owningStepName ?? null,
      RowVersion: null,
    },
    ParentContext: input.parentContext ? buildRemoteExecutionContext(input.parentContext) : null,
    PostEntityImages: images(input, input.postImages),
    PreEntityImages: images(input, input.preImages),
    PrimaryEntityId: guid(input.primaryEntityId),
    PrimaryEntityName: input.table.logicalName,
    RequestId: input.requestId ? guid(input.requestId) : null,
    SecondaryEntityName: input.secondaryEntityName ?? 'none',
    SharedVariables: (input.sharedVariables ?? []).map((v) => ({ key: v.key, value: sharedVariableJson(v.value) })),
    Stage: input.stage,
    UserId: guid(input.userId),
  };
}

// ---- serializing -----------------------------------------------------------------------------------------------

/**
 * String escaping of .NET's XmlJsonWriter (DataContractJsonSerializer, .NET Framework ≥ 4.7): `"`, `\` and `/` are
 * backslash-escaped; \b \f \n \r \t use their short forms, other controls `\u00xx`; every UTF-16 surrogate and
 * U+FFFE/U+FFFF is written as `\uxxxx` (lower-case hex). Everything else is written as is (UTF-8 on the wire).
 */
export function escapeDataContractString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ch = text[i] as string;
    if (ch === '"' || ch === '\\' || ch === '/') out += `\\${ch}`;
    else if (c < 0x20) out += shortEscapes[c] ?? `\\u${c.toString(16).padStart(4, '0')}`;
    else if ((c >= 0xd800 && c <= 0xdfff) || c >= 0xfffe) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

const shortEscapes: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };

function writeJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return escapeDataContractString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`RemoteExecutionContext: ${value} cannot be written as JSON`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(writeJson).join(',')}]`;
  if (typeof value === 'object') {
    const members: string[] = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) members.push(`${escapeDataContractString(k)}:${writeJson(v)}`);
    }
    return `{${members.join(',')}}`;
  }
  throw new Error(`RemoteExecutionContext: unexpected ${typeof value} value`);
}

/** The exact text Dataverse posts: compact, members in contract order, `\/` escapes. */
export function serializeRemoteExecutionContext(ctx: RemoteExecutionContext): string {
  return writeJson(ctx);
}

/**
 * The body to post and whether it was over the 256 KB limit. Over the limit the docs say ParentContext,
 * InputParameters, PreEntityImages and PostEntityImages "will be removed". The serializer writes every data member,
 * so "removed" means emptied: the collections become `[]` and ParentContext `null` (our reading; a receiver that
 * follows the docs re-reads the row by PrimaryEntityId either way).
 */
export function payloadForSize(ctx: RemoteExecutionContext, maxBytes = WEBHOOK_MAX_PAYLOAD_BYTES): { body: string; sizeExceeded: boolean } {
  const body = serializeRemoteExecutionContext(ctx);
  if (Buffer.byteLength(body, 'utf8') <= maxBytes) return { body, sizeExceeded: false };
  const stripped: RemoteExecutionContext = { ...ctx, InputParameters: [], ParentContext: null, PostEntityImages: [], PreEntityImages: [] };
  return { body: serializeRemoteExecutionContext(stripped), sizeExceeded: true };
}

/**
 * `$filter` → a parameterised SQLite condition with Dataverse's semantics (filter-rows.md):
 * - string comparisons are case-insensitive ("All filters using string values are case insensitive");
 * - `contains`/`startswith`/`endswith` pass `%`, `_` and `[x]` through as SQL Server wildcards ("Use wildcard characters");
 * - a comparison with a null column is not true (SQL semantics: `ne` does not match nulls), `eq null` is `IS NULL`;
 * - `nav/prop` through lookups and `coll/any|all(x: …)` over one-to-many relationships become EXISTS subqueries;
 * - the Dataverse query functions `Microsoft.Dynamics.CRM.In`, `NotIn`, `Between`, `NotBetween`, `On`, `OnOrAfter`
 *   and `OnOrBefore`.
 *
 * Parsing is `@odata/parser`'s. It cannot read string literals holding `%`, `#` or `"`, Dataverse's query functions,
 * or a lambda inside a lambda, so a lexical pre-pass (`maskQueryText`) swaps those for placeholders it accepts — a
 * numbered string literal, an identifier, `v/<placeholder>` as the lambda body — and the compiler maps them back.
 */
import { defaultParser } from '@odata/parser';
import { navigationPropertyOf, type ColumnDef, type RelationshipDef, type SchemaModel, type TableDef } from '@pfb/domain';
import { edmTypeOf } from '../protocol/edm';
import { DataverseError, errors } from '../protocol/errors';
import { isLookup, normalizeDateTime, quoteIdent, targetColumn } from '../store/sql';

export interface CompiledWhere {
  sql: string;
  params: (string | number | null)[];
}

type SqlParam = string | number | null;

// ---------------------------------------------------------------------------------------------------------------
// Lexical pre-pass
// ---------------------------------------------------------------------------------------------------------------

/** A `Microsoft.Dynamics.CRM.<name>(…)` call found by the pre-pass; its arguments are parsed when compiled. */
export interface QueryFunctionCall {
  readonly name: string;
  readonly argsText: string;
  readonly raw: string;
}

/** The body of `coll/any(v: predicate)`, compiled on its own (the parser mishandles nested lambdas). */
export interface LambdaBody {
  readonly variable: string;
  readonly predicate: string;
}

export interface MaskedText {
  readonly original: string;
  /** What the parser sees. */
  readonly text: string;
  /** Decoded values of the string literals, by placeholder number (`'3'` is `strings[3]`). */
  readonly strings: readonly string[];
  readonly functions: readonly QueryFunctionCall[];
  readonly lambdas: readonly LambdaBody[];
  /** Start of every placeholder identifier; chosen so that it does not occur in the original. */
  readonly prefix: string;
  /** For each character of `text`: the original offsets it stands for (start inclusive, end exclusive). */
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

const FUNCTION_NAMESPACE = 'Microsoft.Dynamics.CRM.';
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const isIdentChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);

export function syntaxError(position: number, text: string): DataverseError {
  return errors.badRequest(`Syntax error at position ${position} in '${text}'.`);
}

/** ODL's wording, quoted in filter-rows.md ("There is an unterminated literal at position 21 in …"). */
function unterminatedLiteral(position: number, text: string): DataverseError {
  return errors.badRequest(`There is an unterminated literal at position ${position} in '${text}'.`);
}

/** Index just past the `'…'` literal starting at `start` (`''` is an escaped quote). */
function endOfSingleQuoted(s: string, start: number): number {
  let j = start + 1;
  for (;;) {
    if (j >= s.length) throw unterminatedLiteral(s.length, s);
    if (s[j] === "'") {
      if (s[j + 1] === "'") {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
}

/** Index just past the JSON `"…"` string starting at `start`. */
function endOfDoubleQuoted(s: string, start: number): number {
  let j = start + 1;
  for (;;) {
    if (j >= s.length) throw unterminatedLiteral(s.length, s);
    if (s[j] === '\\') j += 2;
    else if (s[j] === '"') return j + 1;
    else j++;
  }
}

/** Index of the `)` closing the `(` at `open`, skipping quoted text. */
function matchingParen(s: string, open: number): number {
  let depth = 0;
  for (let j = open; j < s.length; j++) {
    const c = s[j];
    if (c === "'") j = endOfSingleQuoted(s, j) - 1;
    else if (c === '"') j = endOfDoubleQuoted(s, j) - 1;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j;
  }
  throw syntaxError(s.length, s);
}

/** Splits on `sep` outside quotes, parentheses and brackets. */
function splitTopLevel(s: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let j = 0; j < s.length; j++) {
    const c = s[j];
    if (c === "'") j = endOfSingleQuoted(s, j) - 1;
    else if (c === '"') j = endOfDoubleQuoted(s, j) - 1;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === sep && depth === 0) {
      parts.push(s.slice(from, j));
      from = j + 1;
    }
  }
  parts.push(s.slice(from));
  return parts;
}

/**
 * Replaces what `@odata/parser` cannot read with placeholders it can, and drops leading and trailing white space.
 * `compactSeparators` also drops white space next to `,` `;` `(` `)`, which ODL tolerates in `$select`,
 * `$orderby` and `$expand` but the parser does not.
 */
export function maskQueryText(original: string, options: { compactSeparators?: boolean } = {}): MaskedText {
  let prefix = '__q';
  while (original.includes(prefix)) prefix += 'q';
  const strings: string[] = [];
  const functions: QueryFunctionCall[] = [];
  const lambdas: LambdaBody[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let text = '';
  const copy = (from: number, to: number): void => {
    for (let j = from; j < to; j++) {
      text += original[j];
      starts.push(j);
      ends.push(j + 1);
    }
  };
  const replace = (placeholder: string, from: number, to: number): void => {
    text += placeholder;
    for (let j = 0; j < placeholder.length; j++) {
      starts.push(from);
      ends.push(to);
    }
  };

  let i = 0;
  while (i < original.length) {
    const c = original[i] as string;
    if (c === "'") {
      const end = endOfSingleQuoted(original, i);
      strings.push(original.slice(i + 1, end - 1).replace(/''/g, "'"));
      // The parser refuses a string literal followed by `;` (`$expand=x($filter=a eq 'v';$top=1)`). Where
      // separators are compacted ($select, $orderby, $expand) nested options are compiled from the original text
      // later, so a number placeholder keeps the structure without that failure.
      replace(options.compactSeparators === true ? String(strings.length - 1) : `'${strings.length - 1}'`, i, end);
      i = end;
      continue;
    }
    if (c === 'M' && original.startsWith(FUNCTION_NAMESPACE, i) && !/[A-Za-z0-9_./]/.test(original[i - 1] ?? ' ')) {
      const nameMatch = /[A-Za-z_][A-Za-z0-9_]*/y;
      nameMatch.lastIndex = i + FUNCTION_NAMESPACE.length;
      const m = nameMatch.exec(original);
      const open = m ? nameMatch.lastIndex : -1;
      if (m && original[open] === '(') {
        const close = matchingParen(original, open);
        functions.push({ name: m[0], argsText: original.slice(open + 1, close), raw: original.slice(i, close + 1) });
        replace(`${prefix}f${functions.length - 1}`, i, close + 1);
        i = close + 1;
        continue;
      }
    }
    if (c === '/' && isIdentChar(original[i - 1]) && /^(any|all)\(/.test(original.slice(i + 1, i + 5))) {
      const open = i + 4;
      const close = matchingParen(original, open);
      const inner = original.slice(open + 1, close);
      copy(i, open);
      if (inner.trim() === '') {
        copy(open, close + 1);
      } else {
        const colon = splitTopLevel(inner, ':')[0]?.length ?? inner.length;
        const variable = inner.slice(0, colon).trim();
        if (colon >= inner.length || !IDENTIFIER.test(variable)) throw syntaxError(open + 1, original);
        lambdas.push({ variable, predicate: inner.slice(colon + 1).trim() });
        replace(`(${variable}:${variable}/${prefix}l${lambdas.length - 1})`, open, close + 1);
      }
      i = close + 1;
      continue;
    }
    if (/\s/.test(c)) {
      let j = i;
      while (j < original.length && /\s/.test(original[j] as string)) j++;
      const before = text[text.length - 1];
      const after = original[j];
      const compact = options.compactSeparators === true && ((before !== undefined && ',;('.includes(before)) || (after !== undefined && ',;)'.includes(after)));
      if (before === undefined || after === undefined || compact) {
        i = j;
        continue;
      }
    }
    copy(i, i + 1);
    i++;
  }
  return { original, text, strings, functions, lambdas, prefix, starts, ends };
}

/** The original offset of a position in the masked text (for error messages). */
export function originalPosition(m: MaskedText, position: number): number {
  if (position < 0) return 0;
  return position < m.starts.length ? (m.starts[position] as number) : m.original.length;
}

/** The original text under `[start, end)` of the masked text (placeholders are never split by a token). */
export function originalSlice(m: MaskedText, start: number, end: number): string {
  if (end <= start) return '';
  return m.original.slice(originalPosition(m, start), m.ends[end - 1] ?? m.original.length);
}

// ---------------------------------------------------------------------------------------------------------------
// Parser tokens
// ---------------------------------------------------------------------------------------------------------------

/** The fields of `@odata/parser`'s Token that we read; `value` is shaped by `type`. */
export interface Tok {
  readonly type: string;
  readonly value: unknown;
  readonly raw: string;
  readonly position: number;
  readonly next: number;
}

export function isTok(v: unknown): v is Tok {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

export function field(v: unknown, key: string): unknown {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
}

function tokField(v: unknown, key: string): Tok {
  const t = field(v, key);
  if (!isTok(t)) throw errors.internal(`Unexpected $filter syntax tree: no '${key}'.`);
  return t;
}

function tokValue(t: Tok): Tok {
  if (!isTok(t.value)) throw errors.internal(`Unexpected $filter syntax tree under ${t.type}.`);
  return t.value;
}

/** Runs one of the parser's entry points, turning its failures into Dataverse's syntax error. */
export function parseWith(parse: (text: string) => unknown, m: MaskedText, prefixLength = 0): Tok {
  let result: unknown;
  try {
    result = parse(m.text);
  } catch (e) {
    const at = /at (\d+)/.exec(e instanceof Error ? e.message : '');
    throw syntaxError(originalPosition(m, (at ? Number(at[1]) : 0) - prefixLength), m.original);
  }
  if (!isTok(result)) throw syntaxError(0, m.original);
  return result;
}

/** A member expression taken apart: `[variable/]seg/seg[/any(…)|/all(…)|/$count]`. */
export interface MemberPath {
  readonly variable?: string;
  readonly segments: readonly string[];
  readonly lambda?: { readonly all: boolean; readonly variable?: string; readonly predicate?: Tok };
  readonly count?: boolean;
}

export function memberPath(first: Tok): MemberPath {
  const segments: string[] = [];
  let variable: string | undefined;
  let lambda: MemberPath['lambda'];
  let count = false;

  const walkMember = (member: Tok): void => {
    if (member.type !== 'MemberExpression' || !isTok(member.value)) throw unsupportedExpression(member.raw);
    walkPath(member.value);
  };
  const walkPath = (path: Tok): void => {
    if (path.type !== 'PropertyPathExpression') throw unsupportedExpression(path.raw);
    const v = path.value;
    if (isTok(v)) {
      segments.push(identifierName(v));
      return;
    }
    segments.push(identifierName(tokField(v, 'current')));
    const next = tokField(v, 'next');
    if (next.type === 'SingleNavigationExpression') return walkMember(tokValue(next));
    if (next.type === 'CollectionPathExpression') {
      const op = tokValue(next);
      if (op.type === 'AnyExpression' || op.type === 'AllExpression') {
        const lv = field(op.value, 'variable');
        const predicate = field(op.value, 'predicate');
        lambda = {
          all: op.type === 'AllExpression',
          variable: isTok(lv) ? identifierName(lv) : undefined,
          predicate: isTok(predicate) ? predicate : undefined,
        };
        return;
      }
      if (op.type === 'CountExpression') {
        count = true;
        return;
      }
    }
    throw unsupportedExpression(path.raw);
  };

  const v = first.value;
  if (Array.isArray(v)) {
    const [head, member] = v as unknown[];
    if (!isTok(head) || !isTok(member)) throw unsupportedExpression(first.raw);
    variable = head.type === 'ImplicitVariableExpression' ? '$it' : identifierName(head);
    walkMember(member);
  } else if (isTok(v) && v.type === 'LambdaVariableExpression') {
    // Inside a lambda the parser reads any leading identifier as a variable; the compiler decides which it is.
    segments.push(identifierName(v));
  } else if (isTok(v)) {
    walkMember(v);
  } else {
    throw unsupportedExpression(first.raw);
  }
  return { variable, segments, lambda, count };
}

function identifierName(t: Tok): string {
  const name = field(t.value, 'name');
  if (typeof name !== 'string') throw unsupportedExpression(t.raw);
  return name;
}

function unsupportedExpression(raw: string): DataverseError {
  return errors.badRequest(`The expression '${raw}' is not supported in a Dataverse query.`);
}

// ---------------------------------------------------------------------------------------------------------------
// Properties, types and navigation
// ---------------------------------------------------------------------------------------------------------------

export function ownColumn(table: TableDef, name: string): ColumnDef | undefined {
  return Object.hasOwn(table.columns, name) ? table.columns[name] : undefined;
}

/**
 * The column behind a Web API structural property: `_x_value` for a lookup x, the logical name otherwise
 * (a lookup's logical name is not a property: its navigation property carries the name instead).
 */
export function findColumn(table: TableDef, property: string): ColumnDef | undefined {
  const m = /^_(.+)_value$/.exec(property);
  if (m) {
    const c = ownColumn(table, m[1] as string);
    return c && isLookup(c) ? c : undefined;
  }
  const c = ownColumn(table, property);
  return c && !isLookup(c) ? c : undefined;
}

export function resolveColumn(table: TableDef, property: string): ColumnDef {
  const c = findColumn(table, property);
  if (!c) throw errors.propertyNotFound(property, table.logicalName);
  return c;
}

/** The Web API property name of a column. */
export function propertyNameOf(c: ColumnDef): string {
  return isLookup(c) ? `_${c.logicalName}_value` : c.logicalName;
}


type Family = 'string' | 'number' | 'boolean' | 'guid' | 'datetime' | 'date';

function familyOf(edm: string): Family | undefined {
  switch (edm) {
    case 'Edm.String':
      return 'string';
    case 'Edm.Int32':
    case 'Edm.Int64':
    case 'Edm.Decimal':
    case 'Edm.Double':
      return 'number';
    case 'Edm.Boolean':
      return 'boolean';
    case 'Edm.Guid':
      return 'guid';
    case 'Edm.DateTimeOffset':
      return 'datetime';
    case 'Edm.Date':
      return 'date';
    default:
      return undefined;
  }
}

export type Navigation =
  | { readonly kind: 'single'; readonly rel: RelationshipDef; readonly lookup: ColumnDef; readonly target: TableDef }
  | { readonly kind: 'collection'; readonly rel: RelationshipDef; readonly child: TableDef };

/**
 * A navigation property of `table`: single-valued (a lookup on this table) or collection-valued (a lookup on
 * another table pointing here). A lookup whose target the sandbox does not model is refused by name.
 */
export function findNavigation(schema: SchemaModel, table: TableDef, name: string): Navigation | undefined {
  const single = schema.manyToOneOf(table.logicalName).find((r) => r.referencingNavigationProperty === name);
  if (single) {
    const target = schema.table(single.referencedEntity);
    const lookup = ownColumn(table, single.referencingAttribute);
    if (target && lookup) return { kind: 'single', rel: single, lookup, target };
  }
  const many = schema.oneToManyOf(table.logicalName).find((r) => r.referencedNavigationProperty === name);
  if (many) {
    const child = schema.table(many.referencingEntity);
    if (child) return { kind: 'collection', rel: many, child };
  }
  const unmodelled = Object.values(table.columns).find(
    (c) => isLookup(c) && navigationPropertyOf(c) === name && (c.targets ?? []).some((target) => !schema.table(target)),
  );
  if (unmodelled) {
    throw errors.badRequest(
      `The navigation property '${name}' of ${table.logicalName} leads to ${(unmodelled.targets ?? []).join(' or ')}, which the local Dataverse does not model.`,
    );
  }
  return undefined;
}

const q = quoteIdent;

/** An SQL string literal for a name that comes from the schema (never from the request). */
export const schemaLiteral = (s: string): string => `'${s.replace(/'/g, "''")}'`;

// ---------------------------------------------------------------------------------------------------------------
// Compiler
// ---------------------------------------------------------------------------------------------------------------

interface Scope {
  readonly table: TableDef;
  readonly alias: string;
  /** The lambda variable naming this scope; the root ($it) has none. */
  readonly variable?: string;
  readonly parent?: Scope;
}

interface Resolved {
  readonly start: Scope;
  readonly hops: readonly Extract<Navigation, { kind: 'single' }>[];
  readonly table: TableDef;
  readonly column?: ColumnDef;
  /** The path ends in a single-valued navigation property: its lookup column and target. */
  readonly entity?: { readonly lookup: ColumnDef; readonly target: TableDef };
  readonly collection?: Extract<Navigation, { kind: 'collection' }>;
  readonly text: string;
}

type Operand =
  | { readonly kind: 'path'; readonly r: Resolved; readonly edm: string }
  | { readonly kind: 'literal'; readonly edm: string; readonly raw: string; readonly value: string }
  | { readonly kind: 'null' };

type Op = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

const COMPARISONS: Readonly<Record<string, Op>> = {
  EqualsExpression: 'eq',
  NotEqualsExpression: 'ne',
  LesserThanExpression: 'lt',
  LesserOrEqualsExpression: 'le',
  GreaterThanExpression: 'gt',
  GreaterOrEqualsExpression: 'ge',
};
const SQL_OP: Readonly<Record<Op, string>> = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' };
const FLIPPED: Readonly<Record<Op, Op>> = { eq: 'eq', ne: 'ne', lt: 'gt', le: 'ge', gt: 'lt', ge: 'le' };
/** ODL's BinaryOperatorKind names, as they appear in its type errors. */
const OPERATOR_KIND: Readonly<Record<Op, string>> = {
  eq: 'Equal',
  ne: 'NotEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
};

const NUMERIC_LITERALS = new Set(['Edm.SByte', 'Edm.Byte', 'Edm.Int16', 'Edm.Int32', 'Edm.Int64', 'Edm.Decimal', 'Edm.Double', 'Edm.Single']);

/** ODL types small integer literals as Edm.Int32; the parser is more precise. */
const literalEdm = (edm: string): string => (edm === 'Edm.SByte' || edm === 'Edm.Byte' || edm === 'Edm.Int16' ? 'Edm.Int32' : edm);

const STRING_FUNCTIONS = new Set(['contains', 'startswith', 'endswith']);

/** Every query function Dataverse documents (filter-rows.md, "Dataverse query functions"). */
const DATAVERSE_FUNCTIONS = new Set(
  (
    'InFiscalPeriod InFiscalPeriodAndYear InFiscalYear InOrAfterFiscalPeriodAndYear InOrBeforeFiscalPeriodAndYear Last7Days ' +
    'LastFiscalPeriod LastFiscalYear LastMonth LastWeek LastXDays LastXFiscalPeriods LastXFiscalYears LastXHours LastXMonths ' +
    'LastXWeeks LastXYears LastYear Next7Days NextFiscalPeriod NextFiscalYear NextMonth NextWeek NextXDays NextXFiscalPeriods ' +
    'NextXFiscalYears NextXHours NextXMonths NextXWeeks NextXYears NextYear OlderThanXDays OlderThanXHours OlderThanXMinutes ' +
    'OlderThanXMonths OlderThanXWeeks OlderThanXYears On OnOrAfter OnOrBefore ThisFiscalPeriod ThisFiscalYear ThisMonth ' +
    'ThisWeek ThisYear Today Tomorrow Yesterday EqualBusinessId EqualUserId NotEqualBusinessId NotEqualUserId Above ' +
    'AboveOrEqual EqualUserOrUserHierarchy EqualUserOrUserHierarchyAndTeams EqualUserOrUserTeams EqualUserTeams NotUnder ' +
    'Under UnderOrEqual ContainValues DoesNotContainValues Between NotBetween In NotIn EqualUserLanguage Contains'
  ).split(' '),
);
const IMPLEMENTED_FUNCTIONS = ['In', 'NotIn', 'Between', 'NotBetween', 'On', 'OnOrAfter', 'OnOrBefore'];

type FunctionArg = { readonly kind: 'value'; readonly value: string } | { readonly kind: 'list'; readonly values: readonly string[] };

const DAY_MS = 86_400_000;
const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

class FilterCompiler {
  readonly params: SqlParam[] = [];
  private aliasCount = 0;

  constructor(private readonly schema: SchemaModel) {}

  compile(filter: string, scope: Scope): string {
    const m = maskQueryText(filter);
    const ast = parseWith((text) => defaultParser.filter(text), m);
    return this.bool(ast, m, scope);
  }

  private param(v: SqlParam): string {
    this.params.push(v);
    return '?';
  }

  private nextAlias(): string {
    this.aliasCount++;
    return `__f${this.aliasCount}`;
  }

  private text(m: MaskedText, t: Tok): string {
    return originalSlice(m, t.position, t.next);
  }

  private bool(t: Tok, m: MaskedText, scope: Scope): string {
    switch (t.type) {
      case 'AndExpression':
      case 'OrExpression':
      case 'NotExpression':
        return this.logical(t, m, scope);
      case 'BoolParenExpression':
      case 'ParenExpression':
      case 'CommonExpression':
      case 'LambdaPredicateExpression':
        return this.bool(tokValue(t), m, scope);
      case 'MethodCallExpression':
        return this.method(t, m, scope);
      case 'FirstMemberExpression':
        return this.memberCondition(t, m, scope);
      case 'Literal':
        if (t.value === 'Edm.Boolean') return t.raw === 'true' ? '1' : '0';
        break;
      case 'HasExpression':
        throw errors.badRequest(`The 'has' operator is not supported by Dataverse: '${this.text(m, t)}'.`);
      case 'AddExpression':
      case 'SubExpression':
      case 'MulExpression':
      case 'DivExpression':
      case 'ModExpression':
      case 'NegateExpression':
        throw errors.badRequest(`Arithmetic operators are not supported in a Dataverse $filter: '${this.text(m, t)}'.`);
      default: {
        const op = COMPARISONS[t.type];
        if (op) return this.comparison(op, tokField(t.value, 'left'), tokField(t.value, 'right'), m, scope);
      }
    }
    throw errors.badRequest(`The $filter expression '${this.text(m, t)}' does not evaluate to a Boolean condition.`);
  }

  /**
   * `@odata/parser` lets `not` take everything to its right (`not a and b` comes back as `not (a and b)`), while
   * OData gives `not` precedence over `and`, and `and` over `or`. The operands and operators are read back in
   * source order and regrouped with OData's precedence.
   */
  private logical(t: Tok, m: MaskedText, scope: Scope): string {
    const items: (Tok | 'and' | 'or' | 'not')[] = [];
    const flatten = (x: Tok): void => {
      if (x.type === 'AndExpression' || x.type === 'OrExpression') {
        flatten(tokField(x.value, 'left'));
        items.push(x.type === 'AndExpression' ? 'and' : 'or');
        flatten(tokField(x.value, 'right'));
      } else if (x.type === 'NotExpression') {
        items.push('not');
        flatten(tokValue(x));
      } else if (x.type === 'CommonExpression' && isTok(x.value) && ['AndExpression', 'OrExpression', 'NotExpression'].includes(x.value.type)) {
        flatten(x.value);
      } else {
        items.push(x);
      }
    };
    flatten(t);
    let k = 0;
    const unary = (): string => {
      const item = items[k++];
      if (item === 'not') return `NOT (${unary()})`;
      if (item === undefined || typeof item === 'string') throw syntaxError(originalPosition(m, t.next), m.original);
      return this.bool(item, m, scope);
    };
    const conjunction = (): string => {
      const parts = [unary()];
      while (items[k] === 'and') {
        k++;
        parts.push(unary());
      }
      return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' AND ')})`;
    };
    const parts = [conjunction()];
    while (items[k] === 'or') {
      k++;
      parts.push(conjunction());
    }
    return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' OR ')})`;
  }

  // --- paths -------------------------------------------------------------------------------------------------

  private resolve(path: MemberPath, scope: Scope, text: string, acceptLookupName = false): Resolved {
    let root = scope;
    while (root.parent) root = root.parent;
    let start = root;
    let segments = [...path.segments];
    if (path.variable === '$it') {
      start = root;
    } else if (path.variable !== undefined) {
      const bound = this.scopeOf(scope, path.variable);
      if (bound) start = bound;
      else segments = [path.variable, ...segments];
    } else if (segments.length > 0) {
      const bound = this.scopeOf(scope, segments[0] as string);
      if (bound) {
        start = bound;
        segments = segments.slice(1);
      }
    }
    if (segments.length === 0) throw errors.badRequest(`The lambda variable in '${text}' must be followed by a property name.`);

    const ends = path.lambda !== undefined || path.count === true;
    const hops: Extract<Navigation, { kind: 'single' }>[] = [];
    let table = start.table;
    for (let k = 0; k < segments.length; k++) {
      const name = segments[k] as string;
      const last = k === segments.length - 1;
      if (last && !ends) {
        const column = findColumn(table, name) ?? (acceptLookupName ? ownColumn(table, name) : undefined);
        if (column) return { start, hops, table, column, text };
      }
      const nav = findNavigation(this.schema, table, name);
      if (!nav && findColumn(table, name)) throw errors.badRequest(`'${name}' is not a navigation property of ${table.logicalName}: '${text}'.`);
      if (!nav) throw errors.propertyNotFound(name, table.logicalName);
      if (nav.kind === 'single') {
        if (last && ends) throw errors.badRequest(`'${name}' is a single-valued navigation property; any, all and $count need a collection-valued one.`);
        if (last) return { start, hops, table, entity: { lookup: nav.lookup, target: nav.target }, text };
        hops.push(nav);
        table = nav.target;
        continue;
      }
      if (!last) {
        throw errors.badRequest(
          `The parent value for a property access of a property '${segments[k + 1] as string}' is not a single value. Property access can only be applied to a single value.`,
        );
      }
      if (hops.length > 0 && ends) {
        // filter-rows.md: conditions on collections nested in a lookup navigation property aren't supported.
        throw errors.badRequest(`Lambda operators on a collection-valued navigation property reached through a lookup are not supported: '${text}'.`);
      }
      return { start, hops, table, collection: nav, text };
    }
    throw errors.internal(`Unresolved path '${text}'.`);
  }

  private scopeOf(scope: Scope, variable: string): Scope | undefined {
    for (let s: Scope | undefined = scope; s; s = s.parent) if (s.variable === variable) return s;
    return undefined;
  }

  /** Wraps `build` in one EXISTS per lookup hop so it can read the last hop's row (inner-join semantics). */
  private throughHops(r: Resolved, build: (alias: string) => string): string {
    const step = (alias: string, k: number): string => {
      const hop = r.hops[k];
      if (!hop) return build(alias);
      const a = this.nextAlias();
      const conds = [`${q(a)}.${q(hop.target.primaryIdAttribute)} = ${q(alias)}.${q(hop.lookup.logicalName)}`];
      if ((hop.lookup.targets?.length ?? 0) > 1) {
        conds.push(`${q(alias)}.${q(targetColumn(hop.lookup.logicalName))} = ${schemaLiteral(hop.target.logicalName)}`);
      }
      conds.push(step(a, k + 1));
      return `EXISTS (SELECT 1 FROM ${q(hop.target.logicalName)} AS ${q(a)} WHERE ${conds.join(' AND ')})`;
    };
    return step(r.start.alias, 0);
  }

  // --- operands and comparisons -------------------------------------------------------------------------------

  private operand(t: Tok, m: MaskedText, scope: Scope): Operand {
    if (t.type === 'ParenExpression' || t.type === 'CommonExpression') return this.operand(tokValue(t), m, scope);
    if (t.type === 'Literal') {
      if (t.value === 'null') return { kind: 'null' };
      const edm = String(t.value);
      if (edm === 'Edm.String') {
        const index = /^'(\d+)'$/.exec(t.raw);
        return { kind: 'literal', edm, raw: t.raw, value: index ? (m.strings[Number(index[1])] ?? '') : '' };
      }
      return { kind: 'literal', edm: literalEdm(edm), raw: t.raw, value: t.raw };
    }
    if (t.type === 'FirstMemberExpression') {
      const path = memberPath(t);
      const text = this.text(m, t);
      if (path.lambda || this.functionPlaceholder(path, m)) {
        throw errors.badRequest(`'${text}' is a condition and cannot be compared with a value.`);
      }
      const r = this.resolve(path, scope, text);
      if (r.column) return { kind: 'path', r, edm: edmTypeOf(r.column) };
      if (r.entity) return { kind: 'path', r, edm: `Microsoft.Dynamics.CRM.${r.entity.target.logicalName}` };
      const child = r.collection?.child.logicalName ?? '';
      return { kind: 'path', r, edm: `Collection(Microsoft.Dynamics.CRM.${child})` };
    }
    if (t.type === 'MethodCallExpression') {
      throw errors.badRequest(`The function call '${this.text(m, t)}' cannot be used as a value; Dataverse supports contains, startswith and endswith as conditions.`);
    }
    throw errors.badRequest(`The expression '${this.text(m, t)}' is not supported in a Dataverse $filter.`);
  }

  private comparison(op: Op, lt: Tok, rt: Tok, m: MaskedText, scope: Scope): string {
    const written = { left: this.operand(lt, m, scope), right: this.operand(rt, m, scope) };
    const edmName = (o: Operand): string => (o.kind === 'null' ? 'null' : o.edm);
    const incompatible = (): DataverseError =>
      errors.badRequest(
        `A binary operator with incompatible types was detected. Found operand types '${edmName(written.left)}' and '${edmName(written.right)}' for operator kind '${OPERATOR_KIND[op]}'.`,
      );

    let { left, right } = written;
    let effective = op;
    if (left.kind !== 'path' && right.kind === 'path') {
      [left, right] = [right, left];
      effective = FLIPPED[op];
    }
    if (left.kind !== 'path') {
      throw errors.badRequest(`A comparison in $filter must name a property: '${originalSlice(m, lt.position, rt.next)}'.`);
    }
    const lhs = left;

    if (right.kind === 'null') {
      const column = lhs.r.column ?? lhs.r.entity?.lookup;
      if (!column) throw incompatible();
      return this.throughHops(lhs.r, (a) => {
        const x = `${q(a)}.${q(column.logicalName)}`;
        if (effective === 'eq') return `${x} IS NULL`;
        if (effective === 'ne') return `${x} IS NOT NULL`;
        return '0'; // an ordering comparison with null is never true
      });
    }

    const column = lhs.r.column;
    if (!column) throw incompatible();
    const family = familyOf(lhs.edm);
    const collate = family === 'string' ? ' COLLATE NOCASE' : '';

    if (right.kind === 'path') {
      const rhs = right;
      const other = rhs.r.column;
      if (!other || familyOf(rhs.edm) !== family) throw incompatible();
      return this.throughHops(lhs.r, (a) =>
        this.throughHops(rhs.r, (b) => `${q(a)}.${q(column.logicalName)}${collate} ${SQL_OP[effective]} ${q(b)}.${q(other.logicalName)}`),
      );
    }

    const literal = right;
    const compare = (x: string): string => {
      if (family === 'datetime') return this.dateTimeComparison(x, effective, literal, incompatible);
      return `${x}${collate} ${SQL_OP[effective]} ${this.param(this.literalValue(family, literal, incompatible))}`;
    };
    return this.throughHops(lhs.r, (a) => compare(`${q(a)}.${q(column.logicalName)}`));
  }

  private literalValue(family: Family | undefined, lit: Extract<Operand, { kind: 'literal' }>, incompatible: () => DataverseError): SqlParam {
    switch (family) {
      case 'string':
        if (lit.edm !== 'Edm.String') throw incompatible();
        return lit.value;
      case 'number': {
        if (!NUMERIC_LITERALS.has(lit.edm)) throw incompatible();
        const n = Number(lit.raw);
        if (!Number.isFinite(n)) throw errors.badRequest(`The numeric value '${lit.raw}' is not supported in a Dataverse $filter.`);
        return n;
      }
      case 'boolean':
        if (lit.edm !== 'Edm.Boolean') throw incompatible();
        return lit.raw === 'true' ? 1 : 0;
      case 'guid':
        if (lit.edm !== 'Edm.Guid') throw incompatible();
        return lit.raw.toLowerCase();
      case 'date': {
        if (lit.edm !== 'Edm.Date' && lit.edm !== 'Edm.DateTimeOffset') throw incompatible();
        // A date-time compared with a DateOnly column counts by the calendar date it was written with.
        const date = lit.raw.slice(0, 10);
        if (normalizeDateTime(`${date}T00:00:00Z`, false)?.slice(0, 10) !== date) throw invalidLiteral(lit.raw, 'Edm.Date');
        return date;
      }
      default:
        throw incompatible();
    }
  }

  /**
   * Date-times are stored as UTC text at whole seconds, so the literal is normalised to that form (an offset such
   * as +10:00 is applied). A literal with a fraction of a second is rounded in the direction that keeps the result
   * exact: `gt`/`le` round down, `ge`/`lt` up, `eq` never matches and `ne` matches every non-null value.
   */
  private dateTimeComparison(x: string, op: Op, lit: Extract<Operand, { kind: 'literal' }>, incompatible: () => DataverseError): string {
    let ms: number;
    if (lit.edm === 'Edm.DateTimeOffset') ms = Date.parse(lit.raw);
    else if (lit.edm === 'Edm.Date') ms = Date.parse(`${lit.raw}T00:00:00Z`);
    else throw incompatible();
    if (Number.isNaN(ms)) throw invalidLiteral(lit.raw, lit.edm);
    const fraction = ms % 1000 !== 0;
    if (fraction && op === 'eq') return '0';
    if (fraction && op === 'ne') return `${x} IS NOT NULL`;
    const rounded = !fraction ? ms : op === 'ge' || op === 'lt' ? Math.ceil(ms / 1000) * 1000 : Math.floor(ms / 1000) * 1000;
    return `${x} ${SQL_OP[op]} ${this.param(isoSeconds(rounded))}`;
  }

  // --- functions -----------------------------------------------------------------------------------------------

  private method(t: Tok, m: MaskedText, scope: Scope): string {
    const name = String(field(t.value, 'method'));
    const args = field(t.value, 'parameters');
    if (!STRING_FUNCTIONS.has(name)) {
      throw errors.badRequest(
        `The function '${name}' is not supported in a Dataverse $filter; use contains, startswith, endswith or a Microsoft.Dynamics.CRM query function.`,
      );
    }
    const signature = (): DataverseError =>
      errors.badRequest(
        `No function signature for the function with name '${name}' matches the specified arguments. The function signatures considered are: ${name}(Edm.String Nullable=true, Edm.String Nullable=true).`,
      );
    if (!Array.isArray(args) || args.length !== 2 || !isTok(args[0]) || !isTok(args[1])) throw signature();
    const subject = this.operand(args[0], m, scope);
    const pattern = this.operand(args[1], m, scope);
    if (subject.kind !== 'path' || subject.edm !== 'Edm.String' || !subject.r.column) throw signature();
    if (pattern.kind !== 'literal' || pattern.edm !== 'Edm.String') throw signature();
    const body = likeBody(pattern.value);
    const like = name === 'contains' ? `%${body}%` : name === 'startswith' ? `${body}%` : `%${body}`;
    const column = subject.r.column;
    return this.throughHops(subject.r, (a) => `${q(a)}.${q(column.logicalName)} LIKE ${this.param(like)} ESCAPE '\\'`);
  }

  private functionPlaceholder(path: MemberPath, m: MaskedText): QueryFunctionCall | undefined {
    if (path.variable !== undefined || path.segments.length !== 1 || path.lambda || path.count) return undefined;
    const match = new RegExp(`^${m.prefix}f(\\d+)$`).exec(path.segments[0] as string);
    return match ? m.functions[Number(match[1])] : undefined;
  }

  private memberCondition(t: Tok, m: MaskedText, scope: Scope): string {
    const path = memberPath(t);
    const call = this.functionPlaceholder(path, m);
    if (call) return this.queryFunction(call, scope);
    const text = this.text(m, t);
    if (path.count) throw errors.badRequest(`$count is not supported inside a Dataverse $filter: '${text}'.`);
    const r = this.resolve(path, scope, text);
    if (path.lambda) return this.lambda(r, path, m, scope);
    const column = r.column;
    if (column && column.type === 'boolean') return this.throughHops(r, (a) => `${q(a)}.${q(column.logicalName)} = 1`);
    throw errors.badRequest(`The $filter expression '${text}' does not evaluate to a Boolean condition.`);
  }

  private lambda(r: Resolved, path: MemberPath, m: MaskedText, scope: Scope): string {
    const nav = r.collection;
    const lambda = path.lambda;
    if (!nav || !lambda) throw errors.internal(`'${r.text}' is not a collection.`);
    const fk = ownColumn(nav.child, nav.rel.referencingAttribute);
    if (!fk) throw errors.internal(`${nav.child.logicalName} has no column ${nav.rel.referencingAttribute}.`);
    const a = this.nextAlias();
    const conds = [`${q(a)}.${q(fk.logicalName)} = ${q(r.start.alias)}.${q(r.start.table.primaryIdAttribute)}`];
    if ((fk.targets?.length ?? 0) > 1) conds.push(`${q(a)}.${q(targetColumn(fk.logicalName))} = ${schemaLiteral(nav.rel.referencedEntity)}`);
    const from = `FROM ${q(nav.child.logicalName)} AS ${q(a)}`;
    if (!lambda.predicate) return `EXISTS (SELECT 1 ${from} WHERE ${conds.join(' AND ')})`;

    const body = this.lambdaBody(lambda.predicate, m);
    const predicate = this.compile(body.predicate, { table: nav.child, alias: a, variable: body.variable, parent: scope });
    // `all` is "no related row fails the condition"; a row where it is null (unknown) fails it too.
    if (lambda.all) return `NOT EXISTS (SELECT 1 ${from} WHERE ${conds.join(' AND ')} AND NOT COALESCE((${predicate}), 0))`;
    return `EXISTS (SELECT 1 ${from} WHERE ${conds.join(' AND ')} AND (${predicate}))`;
  }

  private lambdaBody(predicate: Tok, m: MaskedText): LambdaBody {
    let t = predicate;
    while ((t.type === 'LambdaPredicateExpression' || t.type === 'CommonExpression') && isTok(t.value)) t = t.value;
    if (t.type === 'FirstMemberExpression') {
      const path = memberPath(t);
      const match = new RegExp(`^${m.prefix}l(\\d+)$`).exec(path.segments[0] ?? '');
      const body = match ? m.lambdas[Number(match[1])] : undefined;
      if (body && path.segments.length === 1) return body;
    }
    throw syntaxError(originalPosition(m, predicate.position), m.original);
  }

  private queryFunction(call: QueryFunctionCall, scope: Scope): string {
    const fullName = `${FUNCTION_NAMESPACE}${call.name}`;
    if (!DATAVERSE_FUNCTIONS.has(call.name)) {
      throw errors.badRequest(
        `An unknown function with name '${fullName}' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.`,
      );
    }
    if (!IMPLEMENTED_FUNCTIONS.includes(call.name)) {
      throw errors.badRequest(`The query function '${fullName}' is not supported by the local Dataverse; it supports ${IMPLEMENTED_FUNCTIONS.join(', ')}.`);
    }
    const args = parseFunctionArgs(call);
    const propertyArg = args.get('PropertyName');
    if (propertyArg?.kind !== 'value') throw errors.badRequest(`The function '${fullName}' needs the parameter PropertyName (a property name in quotes).`);
    const property = propertyArg.value;
    const r = this.resolve({ segments: property.split('/') }, scope, property, true);
    const column = r.column;
    if (!column) throw errors.badRequest(`PropertyName '${property}' of '${fullName}' must name a column.`);
    const edm = edmTypeOf(column);
    const family = familyOf(edm);
    const convert = (v: string): SqlParam => functionValue(column, family, v, property, fullName);
    const collate = family === 'string' ? ' COLLATE NOCASE' : '';

    const list = (count?: number): readonly string[] => {
      const values = args.get('PropertyValues');
      if (values?.kind !== 'list' || values.values.length === 0 || (count !== undefined && values.values.length !== count)) {
        throw errors.badRequest(`The function '${fullName}' needs PropertyValues: a list of ${count ?? 'one or more'} values, such as ["a","b"].`);
      }
      return values.values;
    };

    switch (call.name) {
      case 'In':
      case 'NotIn': {
        const values = list();
        return this.throughHops(r, (a) => {
          const placeholders = values.map((v) => this.param(convert(v)));
          return `${q(a)}.${q(column.logicalName)}${collate} ${call.name === 'In' ? 'IN' : 'NOT IN'} (${placeholders.join(', ')})`;
        });
      }
      case 'Between':
      case 'NotBetween': {
        const [low, high] = list(2) as [string, string];
        return this.throughHops(r, (a) => {
          const x = `${q(a)}.${q(column.logicalName)}${collate}`;
          return `${x} ${call.name === 'Between' ? 'BETWEEN' : 'NOT BETWEEN'} ${this.param(convert(low))} AND ${this.param(convert(high))}`;
        });
      }
      default: {
        // On / OnOrAfter / OnOrBefore: whole days. Dataverse uses the caller's time zone; the sandbox uses UTC.
        const value = args.get('PropertyValue');
        const day = value?.kind === 'value' ? /^\d{4}-\d{2}-\d{2}/.exec(value.value)?.[0] : undefined;
        if (!day || normalizeDateTime(`${day}T00:00:00Z`, false)?.slice(0, 10) !== day) {
          throw errors.badRequest(`The function '${fullName}' needs PropertyValue: a date such as '2027-01-31'.`);
        }
        if (family !== 'date' && family !== 'datetime') {
          throw errors.badRequest(`The function '${fullName}' applies to date and time columns; '${property}' is ${edm}.`);
        }
        const start = `${day}T00:00:00Z`;
        const next = isoSeconds(Date.parse(start) + DAY_MS);
        return this.throughHops(r, (a) => {
          const x = `${q(a)}.${q(column.logicalName)}`;
          if (family === 'date') return `${x} ${call.name === 'On' ? '=' : call.name === 'OnOrAfter' ? '>=' : '<='} ${this.param(day)}`;
          if (call.name === 'OnOrAfter') return `${x} >= ${this.param(start)}`;
          if (call.name === 'OnOrBefore') return `${x} < ${this.param(next)}`;
          return `(${x} >= ${this.param(start)} AND ${x} < ${this.param(next)})`;
        });
      }
    }
  }
}

function invalidLiteral(raw: string, edm: string): DataverseError {
  return errors.badRequest(`The literal '${raw}' is not a valid ${edm} value.`);
}

/**
 * T-SQL LIKE text → SQLite LIKE text (escape `\`). Dataverse hands the value to SQL Server, so `%` and `_` stay
 * wildcards and `[x]` matches the single character x (the way to search for a literal `%`); character ranges
 * such as `[a-c]` have no SQLite LIKE equivalent and are refused.
 */
function likeBody(value: string): string {
  const escape = (c: string): string => (c === '%' || c === '_' || c === '\\' ? `\\${c}` : c);
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '[') {
      const close = value.indexOf(']', i + 1);
      if (close === i + 2) {
        out += escape(value[i + 1] as string);
        i = close;
        continue;
      }
      if (close > i + 2) {
        throw errors.badRequest(`The wildcard '${value.slice(i, close + 1)}' in '${value}' is not supported by the local Dataverse; use %, _ or [x] for one literal character.`);
      }
    }
    out += c === '%' || c === '_' ? c : escape(c);
  }
  return out;
}

function parseFunctionArgs(call: QueryFunctionCall): Map<string, FunctionArg> {
  const fullName = `${FUNCTION_NAMESPACE}${call.name}`;
  const invalid = (part: string): DataverseError => errors.badRequest(`The parameter '${part.trim()}' of '${fullName}' is not valid.`);
  const args = new Map<string, FunctionArg>();
  if (call.argsText.trim() === '') return args;
  for (const part of splitTopLevel(call.argsText, ',')) {
    const eq = part.indexOf('=');
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    if (eq < 0 || !IDENTIFIER.test(name) || args.has(name)) throw invalid(part);
    if (raw.startsWith('[') && raw.endsWith(']')) {
      const inner = raw.slice(1, -1);
      const values = inner.trim() === '' ? [] : splitTopLevel(inner, ',').map((item) => scalarArg(item.trim()));
      if (values.some((v) => v === undefined)) throw invalid(part);
      args.set(name, { kind: 'list', values: values as string[] });
      continue;
    }
    const value = scalarArg(raw);
    if (value === undefined) throw invalid(part);
    args.set(name, { kind: 'value', value });
  }
  return args;
}

/** A quoted string (OData '…' or JSON "…") or a bare number, as text. */
function scalarArg(raw: string): string | undefined {
  if (raw.startsWith("'")) {
    try {
      if (endOfSingleQuoted(raw, 0) !== raw.length) return undefined;
    } catch {
      return undefined;
    }
    return raw.slice(1, -1).replace(/''/g, "'");
  }
  if (raw.startsWith('"')) {
    try {
      const v: unknown = JSON.parse(raw);
      return typeof v === 'string' ? v : undefined;
    } catch {
      return undefined;
    }
  }
  return /^[+-]?\d+(\.\d+)?$/.test(raw) ? raw : undefined;
}

/** A query function value (always sent as text) converted to the stored form of the column. */
function functionValue(column: ColumnDef, family: Family | undefined, v: string, property: string, fullName: string): SqlParam {
  const invalid = (): DataverseError => errors.badRequest(`The value '${v}' is not a valid ${edmTypeOf(column)} for '${property}' in '${fullName}'.`);
  switch (family) {
    case 'string':
      return v;
    case 'number': {
      const integer = column.type !== 'decimal' && column.type !== 'money' && column.type !== 'double';
      if (integer ? !/^[+-]?\d+$/.test(v.trim()) : !Number.isFinite(Number(v)) || v.trim() === '') throw invalid();
      return Number(v);
    }
    case 'boolean':
      if (/^(true|1)$/i.test(v)) return 1;
      if (/^(false|0)$/i.test(v)) return 0;
      throw invalid();
    case 'guid': {
      const m = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i.exec(v.trim());
      if (!m) throw invalid();
      return (m[1] as string).toLowerCase();
    }
    case 'datetime':
    case 'date': {
      const stored = normalizeDateTime(v.trim(), family === 'date');
      if (!stored) throw invalid();
      return stored;
    }
    default:
      throw invalid();
  }
}

/**
 * Compiles `$filter` for `table` (as SQL alias `alias`, default the table name) into a condition and its
 * parameters, in order. Failures are DataverseErrors worded as Dataverse words them.
 */
export function compileFilter(filter: string, table: TableDef, schema: SchemaModel, alias?: string): CompiledWhere {
  const compiler = new FilterCompiler(schema);
  const sql = compiler.compile(filter, { table, alias: alias ?? table.logicalName });
  return { sql, params: compiler.params };
}

/**
 * functions-bridge/contracts/mobility-api.yaml against what the simulator implements and what the domain accepts.
 * No YAML parser is a dependency of this repository, so the checks read the file's outline by indentation (the file
 * uses two-space block style with flow lists for enums and required members).
 */
import fs from 'node:fs';
import path from 'node:path';
import { FIELD_STAGES } from '@pfb/domain';
import { PROBLEM_TYPES, TICKET_STATUSES, validateTicket } from './index';

const FILE = path.resolve(__dirname, '../../functions-bridge/contracts/mobility-api.yaml');
const text = fs.readFileSync(FILE, 'utf8');
const lines = text.split('\n');

/** The keys directly under the block `path` (e.g. ['components', 'schemas']), each with its block's lines. */
function children(...keys: string[]): Map<string, string[]> {
  let from = 0;
  let to = lines.length;
  let indent = 0;
  for (const key of keys) {
    const at = lines.findIndex((l, i) => i >= from && i < to && l === `${' '.repeat(indent)}${key}:`);
    if (at < 0) throw new Error(`${keys.join('.')}: no '${key}:' at indentation ${indent}`);
    from = at + 1;
    const end = lines.findIndex((l, i) => i >= from && l.trim() !== '' && l.length - l.trimStart().length <= indent);
    to = end < 0 ? lines.length : end;
    indent += 2;
  }
  const out = new Map<string, string[]>();
  let current: string | undefined;
  for (const line of lines.slice(from, to)) {
    const m = new RegExp(`^ {${indent}}([^ #][^:]*):`).exec(line);
    if (m) {
      current = (m[1] as string).replace(/^'|'$/g, '');
      out.set(current, []);
    } else if (current) out.get(current)?.push(line);
  }
  return out;
}

/** A flow list on one line of a block, e.g. `required: [a, b]`. */
function flowList(block: string[] | undefined, key: string): string[] {
  const line = block?.find((l) => l.trim().startsWith(`${key}: [`));
  if (!line) throw new Error(`no '${key}: [...]'`);
  return (line.slice(line.indexOf('[') + 1, line.lastIndexOf(']')) as string).split(',').map((s) => s.trim().replace(/^'|'$/g, ''));
}

const schemas = children('components', 'schemas');

it('is OpenAPI 3.1 in two-space block style without tabs', () => {
  expect(lines[0]).toBe('openapi: 3.1.0');
  expect(text).not.toMatch(/\t/);
  expect(lines.every((l) => (l.length - l.trimStart().length) % 2 === 0)).toBe(true);
});

it('has every operation the simulator serves, and the stage-event webhook', () => {
  const paths = children('paths');
  expect([...paths.keys()]).toEqual(['/v1/tickets/{ticketId}', '/v1/tickets/{ticketId}/cancel', '/v1/health']);
  const methods = (p: string): string[] => [...children('paths', p).keys()].filter((k) => k !== 'parameters');
  expect(methods('/v1/tickets/{ticketId}')).toEqual(['put', 'get']);
  expect(methods('/v1/tickets/{ticketId}/cancel')).toEqual(['post']);
  expect(methods('/v1/health')).toEqual(['get']);
  expect([...children('webhooks').keys()]).toEqual(['stageEvent']);
  expect(text).toContain('POST {bridge}/api/mobility/events');
  for (const header of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) expect(text).toContain(`- name: ${header}`);
  expect(children('components', 'securitySchemes').get('clientCertificate')).toContain('      type: mutualTLS');
});

it('defines every schema it names, and every $ref resolves', () => {
  expect([...schemas.keys()].sort()).toEqual(
    [
      'CancelRequest',
      'FieldProblem',
      'FieldStage',
      'Health',
      'Problem',
      'ProjectRef',
      'Site',
      'StageEvent',
      'StageEventBatch',
      'StoredTicket',
      'TaskRef',
      'Technician',
      'Ticket',
      'TicketAddress',
      'TicketReceipt',
      'TicketStatus',
      'TimeWindow',
      'WorkOrderRef',
    ].sort(),
  );
  const refs = [...text.matchAll(/\$ref: '#\/components\/(\w+)\/(\w+)'/g)];
  expect(refs.length).toBeGreaterThan(40);
  for (const [, kind, name] of refs) expect(children('components', kind as string).has(name as string)).toBe(true);
});

it('states the enums and required members the simulator and the domain enforce', () => {
  expect(flowList(schemas.get('TicketStatus'), 'enum')).toEqual([...TICKET_STATUSES]);
  expect(flowList(schemas.get('FieldStage'), 'enum')).toEqual([...FIELD_STAGES]);
  // An empty body: the simulator names exactly the top-level members the contract requires.
  const empty = validateTicket({}, '');
  expect(empty.ok).toBe(false);
  const missing = empty.ok ? [] : empty.errors.map((e) => e.pointer.slice(1));
  expect(flowList(schemas.get('Ticket'), 'required')).toEqual(missing);
  expect(flowList(schemas.get('StageEvent'), 'required')).toEqual(['eventId', 'bookingId', 'stage', 'occurredAt', 'sequence']);
  expect(flowList(schemas.get('TicketReceipt'), 'required')).toEqual(['ticketId', 'mobilityRef', 'version', 'status']);
});

it('documents every problem type the API answers', () => {
  const slugs = Object.entries(PROBLEM_TYPES)
    .filter(([name]) => name !== 'simulatedFault')
    .map(([, uri]) => uri.split('/').pop() as string);
  const problemDoc = schemas.get('Problem')?.join('\n') ?? '';
  for (const slug of slugs) expect(problemDoc).toContain(slug);
});

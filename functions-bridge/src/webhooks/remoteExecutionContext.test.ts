/**
 * The parser against the published "Use webhooks" samples, read verbatim from ../shared/reference, and against
 * bodies serialized by the local Dataverse's own RemoteExecutionContext writer (the same code its webhook runtime
 * posts with; test/bridge covers real deliveries over HTTP).
 */
import fs from 'node:fs';
import path from 'node:path';
import { schema } from '@pfb/domain';
import {
  buildRemoteExecutionContext,
  payloadForSize,
  serializeRemoteExecutionContext,
  type ExecutionContextInput,
} from '../../../sandbox/dataverse/src/webhooks/remoteExecutionContext';
import { parseDataContractDate, parseRemoteExecutionContext, SIZE_EXCEEDED_HEADER, WebhookPayloadError } from './remoteExecutionContext';

const SAMPLES = path.resolve(__dirname, '../../../../shared/reference/microsoft-docs-samples');
const sample = (name: string): string => fs.readFileSync(path.join(SAMPLES, name), 'utf8');
const noHeaders = new Headers();

describe.each(['webhook-remote-execution-context-update-contact.2021-docs.json', 'webhook-remote-execution-context-update-contact.current-docs.json'])(
  'the published sample %s',
  (file) => {
    it('parses into the message, record, target attributes, images and dates', () => {
      const ctx = parseRemoteExecutionContext(sample(file), noHeaders);
      expect(ctx).toMatchObject({
        messageName: 'Update',
        primaryEntityName: 'contact',
        primaryEntityId: '6d81597f-0f9f-e711-8122-000d3aa2331c',
        depth: 1,
        stage: 40,
        mode: 1,
        organizationName: 'OrgName',
        sizeExceeded: false,
        targetRowVersion: null,
      });
      expect(ctx.correlationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(ctx.target).toEqual({
        firstname: 'James',
        contactid: '6d81597f-0f9f-e711-8122-000d3aa2331c',
        fullname: 'James Glynn (sample)',
        yomifullname: 'James Glynn (sample)',
        // \/Date(1506384247000)\/ in the text
        modifiedon: '2017-09-26T00:04:07.000Z',
        modifiedby: { logicalName: 'systemuser', id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: null },
        modifiedonbehalfby: null,
      });
      // The async step's post image (declared as Entity: no __type) by its alias.
      expect(ctx.postImages).toEqual({ AsynchronousStepPrimaryName: { fullname: 'James Glynn (sample)', contactid: '6d81597f-0f9f-e711-8122-000d3aa2331c' } });
      expect(ctx.postImage).toEqual({ fullname: 'James Glynn (sample)', contactid: '6d81597f-0f9f-e711-8122-000d3aa2331c' });
      expect(ctx.preImage).toBeUndefined();
      expect(ctx.preImages).toEqual({});
      // OperationCreatedOn carries an offset (-0700); the milliseconds are UTC.
      expect(ctx.operationCreatedOn).toBe(new Date(1506409448000).toISOString());
    });

    it('is sizeExceeded when Dataverse sends the over-256 KB header', () => {
      const ctx = parseRemoteExecutionContext(sample(file), new Headers({ [SIZE_EXCEEDED_HEADER]: 'true' }));
      expect(ctx.sizeExceeded).toBe(true);
      expect(ctx.primaryEntityId).toBe('6d81597f-0f9f-e711-8122-000d3aa2331c');
    });
  },
);

describe('bodies written by the local Dataverse serializer', () => {
  const table = schema.table('bookableresourcebooking');
  if (!table) throw new Error('schema has no bookableresourcebooking');
  const bookingId = '1B7E4C1A-0000-4000-8000-0000000000AA';
  const base: ExecutionContextInput = {
    messageName: 'Update',
    table,
    primaryEntityId: bookingId,
    target: {
      starttime: '2026-03-02T08:00:00Z',
      resource: { logicalName: 'bookableresource', id: 'AAAAAAAA-0000-4000-8000-000000000001', name: 'Tech 1' },
      pfb_dispatchstatus: 724310001,
    },
    preImages: [],
    postImages: [{ alias: 'PostImage', attributes: { versionnumber: 4711, msdyn_workorder: { logicalName: 'msdyn_workorder', id: 'BBBBBBBB-0000-4000-8000-000000000002' } } }],
    userId: '00000000-0000-4000-8000-000000000010',
    initiatingUserId: '00000000-0000-4000-8000-000000000010',
    businessUnitId: '00000000-0000-4000-8000-000000000011',
    organizationId: '00000000-0000-4000-8000-000000000012',
    organizationName: 'pfb',
    correlationId: 'C0000000-0000-4000-8000-000000000013',
    operationId: '00000000-0000-4000-8000-000000000014',
    depth: 1,
    mode: 1,
    stage: 40,
    owningStepId: '00000000-0000-4000-8000-000000000015',
    operationCreatedOn: new Date('2026-03-01T10:00:00Z'),
  };

  it('turns OptionSetValue, EntityReference and dates into Web API values and lower-cases GUIDs', () => {
    const body = serializeRemoteExecutionContext(buildRemoteExecutionContext(base));
    expect(body).toContain('OptionSetValue:http:\\/\\/schemas.microsoft.com');
    const ctx = parseRemoteExecutionContext(body, noHeaders);
    expect(ctx.primaryEntityId).toBe(bookingId.toLowerCase());
    expect(ctx.correlationId).toBe('c0000000-0000-4000-8000-000000000013');
    expect(ctx.target).toEqual({
      starttime: '2026-03-02T08:00:00.000Z',
      resource: { logicalName: 'bookableresource', id: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'Tech 1' },
      pfb_dispatchstatus: 724310001,
    });
    expect(ctx.postImages['PostImage']).toEqual({
      versionnumber: 4711,
      msdyn_workorder: { logicalName: 'msdyn_workorder', id: 'bbbbbbbb-0000-4000-8000-000000000002', name: null },
    });
  });

  it('reads a Delete: the Target is a reference and the pre-image keeps what the row had', () => {
    const body = serializeRemoteExecutionContext(
      buildRemoteExecutionContext({
        ...base,
        messageName: 'Delete',
        target: { logicalName: 'bookableresourcebooking', id: bookingId },
        preImages: [{ alias: 'PreImage', attributes: { pfb_mobilityref: 'MOB-1', msdyn_workorder: { logicalName: 'msdyn_workorder', id: 'BBBBBBBB-0000-4000-8000-000000000002' } } }],
        postImages: [],
      }),
    );
    const ctx = parseRemoteExecutionContext(body, noHeaders);
    expect(ctx.messageName).toBe('Delete');
    expect(ctx.target).toEqual({});
    expect(ctx.targetReference).toEqual({ logicalName: 'bookableresourcebooking', id: bookingId.toLowerCase(), name: null });
    expect(ctx.preImage).toEqual({ pfb_mobilityref: 'MOB-1', msdyn_workorder: { logicalName: 'msdyn_workorder', id: 'bbbbbbbb-0000-4000-8000-000000000002', name: null } });
    expect(ctx.postImage).toBeUndefined();
    expect(ctx.sizeExceeded).toBe(false);
  });

  it('marks a stripped over-256 KB body sizeExceeded, with the ids still there', () => {
    const huge = { ...base, target: { ...base.target, name: 'x'.repeat(300 * 1024) } };
    const { body, sizeExceeded } = payloadForSize(buildRemoteExecutionContext(huge));
    expect(sizeExceeded).toBe(true);
    // Even without the header: no InputParameters means the data is gone.
    const ctx = parseRemoteExecutionContext(body, noHeaders);
    expect(ctx).toMatchObject({ sizeExceeded: true, primaryEntityId: bookingId.toLowerCase(), messageName: 'Update', target: {} });
    expect(ctx.postImage).toBeUndefined();
  });

  it('accepts a body whose stripped collections are missing or null', () => {
    const ctx = JSON.parse(serializeRemoteExecutionContext(buildRemoteExecutionContext(base))) as Record<string, unknown>;
    delete ctx['InputParameters'];
    ctx['PreEntityImages'] = null;
    delete ctx['PostEntityImages'];
    const parsed = parseRemoteExecutionContext(JSON.stringify(ctx), { [SIZE_EXCEEDED_HEADER]: 'True' });
    expect(parsed).toMatchObject({ sizeExceeded: true, target: {}, preImages: {}, postImages: {} });
  });
});

describe('malformed bodies', () => {
  const valid = JSON.parse(sample('webhook-remote-execution-context-update-contact.2021-docs.json')) as Record<string, unknown>;
  const problemsOf = (body: string): readonly string[] => {
    try {
      parseRemoteExecutionContext(body, noHeaders);
    } catch (e) {
      expect(e).toBeInstanceOf(WebhookPayloadError);
      return (e as WebhookPayloadError).problems;
    }
    throw new Error('expected a WebhookPayloadError');
  };

  it('refuses text that is not JSON without quoting it', () => {
    const problems = problemsOf('{"MessageName": "secret-ish value" ');
    expect(problems.join(' ')).toMatch(/not JSON/);
    expect(problems.join(' ')).not.toContain('secret-ish');
  });

  it('names the members at fault', () => {
    expect(problemsOf(JSON.stringify({ ...valid, PrimaryEntityId: 'not-a-guid' }))).toEqual(['PrimaryEntityId must be a GUID']);
    expect(problemsOf(JSON.stringify({ ...valid, MessageName: undefined }))).toEqual(['MessageName Required']);
    expect(problemsOf(JSON.stringify({ ...valid, InputParameters: { Target: {} } }))[0]).toMatch(/^InputParameters Expected array/);
    expect(problemsOf(JSON.stringify({ ...valid, InputParameters: [{ key: 'Target', value: { Attributes: 'x' } }] }))).toEqual([
      'InputParameters Target is neither an Entity nor an EntityReference',
    ]);
    expect(problemsOf('[]')[0]).toMatch(/^body Expected object/);
  });
});

it('reads both date forms and nothing else', () => {
  expect(parseDataContractDate('/Date(0)/')).toBe('1970-01-01T00:00:00.000Z');
  expect(parseDataContractDate('/Date(1506409448000+0530)/')).toBe('2017-09-26T07:04:08.000Z');
  expect(parseDataContractDate('/Date(-86400000)/')).toBe('1969-12-31T00:00:00.000Z');
  expect(parseDataContractDate('2017-09-26T07:04:08Z')).toBeUndefined();
  expect(parseDataContractDate('/Date(abc)/')).toBeUndefined();
});

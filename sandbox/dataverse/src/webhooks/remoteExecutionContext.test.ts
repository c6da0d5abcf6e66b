import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { col, defineTable, optionSet, pfb_tasksync, SyncStatus } from '@pfb/domain';
import {
  buildRemoteExecutionContext,
  escapeDataContractString,
  payloadForSize,
  serializeRemoteExecutionContext,
  WEBHOOK_MAX_PAYLOAD_BYTES,
  type ExecutionContextInput,
} from './remoteExecutionContext';

const SAMPLES = join(__dirname, '../../../../../shared/reference/microsoft-docs-samples');
const readSample = (name: string): string => readFileSync(join(SAMPLES, name), 'utf8');

/** Removes the docs' pretty-printing (whitespace outside string literals) without touching escapes. */
const minify = (json: string): string => json.replace(/("(?:[^"\\]|\\.)*")|\s+/g, (_m, str: string | undefined) => str ?? '');

// The contact table as far as the docs sample needs it (contact is not one of our tables).
const contact = defineTable({
  logicalName: 'contact',
  entitySetName: 'contacts',
  displayName: 'Contact',
  displayCollectionName: 'Contacts',
  primaryNameAttribute: 'fullname',
  ownership: 'UserOwned',
  objectTypeCode: 2,
  origin: 'platform',
  columns: [
    col.text('firstname', 'First Name', 50),
    col.text('fullname', 'Full Name', 160, { readOnly: true }),
    col.text('yomifullname', 'Yomi Full Name', 450, { readOnly: true }),
    col.lookup('modifiedonbehalfby', 'Modified By (Delegate)', 'systemuser', { readOnly: true }),
  ],
});

/** The ids Microsoft printed; the current docs scrubbed four of them. */
const sampleIds = {
  '2021-docs': {
    correlationId: 'b374239d-4233-41a9-8b17-a86cb4f737b5',
    userId: '75c2dd85-e89e-e711-8122-000d3aa2331c',
    organizationId: '4ef5b371-e89e-e711-8122-000d3aa2331c',
  },
  'current-docs': {
    correlationId: 'aaaa0000-bb11-2222-33cc-444444dddddd',
    userId: '11bb11bb-cc22-dd33-ee44-55ff55ff55ff',
    organizationId: '00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
  },
} as const;

function sampleScenario(ids: (typeof sampleIds)[keyof typeof sampleIds]): ExecutionContextInput {
  const contactId = '6d81597f-0f9f-e711-8122-000d3aa2331c';
  const common = {
    table: contact,
    messageName: 'Update',
    primaryEntityId: contactId,
    businessUnitId: 'e2b9dd85-e89e-e711-8122-000d3aa2331c',
    correlationId: ids.correlationId,
    userId: ids.userId,
    initiatingUserId: ids.userId,
    organizationId: ids.organizationId,
    operationId: '4af10637-4ea2-e711-8122-000d3aa2331c',
    owningStepId: '75417616-4ea2-e711-8122-000d3aa2331c',
    depth: 1,
    mode: 1,
    operationCreatedOn: new Date(1506409448000),
    operationCreatedOnOffsetMinutes: -7 * 60,
    requestId: null,
  } as const;
  return {
    ...common,
    organizationName: 'OrgName',
    stage: 40,
    target: {
      firstname: 'James',
      contactid: contactId,
      fullname: 'James Glynn (sample)',
      yomifullname: 'James Glynn (sample)',
      modifiedon: '2017-09-26T00:04:07Z',
      modifiedby: { logicalName: 'systemuser', id: ids.userId },
      modifiedonbehalfby: null,
    },
    postImages: [{ alias: 'AsynchronousStepPrimaryName', attributes: { fullname: 'James Glynn (sample)', contactid: contactId } }],
    parentContext: {
      ...common,
      // Microsoft's sample names the organization differently in the parent context; kept as printed.
      organizationName: 'OneFarm',
      stage: 30,
      target: { firstname: 'James', contactid: contactId },
      inputParameters: [{ key: 'SuppressDuplicateDetection', value: false }],
      sharedVariables: [
        {
          key: 'ChangedEntityTypes',
          value: {
            stringPairs: [
              'feedback', 'contract', 'salesorder', 'connection', 'socialactivity', 'postfollow', 'incident', 'invoice',
              'entitlement', 'lead', 'opportunity', 'quote', 'socialprofile', 'contact',
            ].map((t) => [t, 'Update'] as const),
          },
        },
      ],
    },
  };
}

describe('RemoteExecutionContext against the docs sample (use-webhooks.md, Update of contact)', () => {
  describe.each(Object.entries(sampleIds))('%s', (edition, ids) => {
    const sampleText = readSample(`webhook-remote-execution-context-update-contact.${edition}.json`);
    const ctx = buildRemoteExecutionContext(sampleScenario(ids));
    const text = serializeRemoteExecutionContext(ctx);

    it('parses to the same members, in the same order, with the same types and values', () => {
      const ours: unknown = JSON.parse(text);
      const theirs: unknown = JSON.parse(sampleText);
      expect(ours).toEqual(theirs);
      // JSON.stringify keeps member order, so this also checks the order at every level.
      expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
      expect(Object.keys(ours as object)).toEqual(Object.keys(theirs as object));
    });

    it('is byte for byte the sample once the docs pretty-printing is removed', () => {
      expect(text).toBe(minify(sampleText));
    });

    it('writes slashes escaped as DataContractJsonSerializer does', () => {
      expect(text).toContain('"\\/Date(1506384247000)\\/"');
      expect(text).toContain('"\\/Date(1506409448000-0700)\\/"');
      expect(text).toContain('"Entity:http:\\/\\/schemas.microsoft.com\\/xrm\\/2011\\/Contracts"');
      expect(text).toContain('"EntityReference:http:\\/\\/schemas.microsoft.com\\/xrm\\/2011\\/Contracts"');
      expect(text).not.toMatch(/[^\\]\/Date/);
    });
  });
});

describe('values by column type', () => {
  const ids = {
    userId: '0AF3C2A1-0000-4000-8000-000000000001',
    initiatingUserId: '0af3c2a1-0000-4000-8000-000000000001',
    businessUnitId: '0af3c2a1-0000-4000-8000-000000000002',
    organizationId: '0af3c2a1-0000-4000-8000-000000000003',
    organizationName: 'unqlocal',
    correlationId: '0af3c2a1-0000-4000-8000-000000000004',
    operationId: '0af3c2a1-0000-4000-8000-000000000005',
    owningStepId: '0af3c2a1-0000-4000-8000-000000000006',
    operationCreatedOn: new Date('2026-03-02T09:30:00Z'),
  };
  const taskSyncId = 'C0FFEE00-1111-4222-8333-444455556666';

  it('Create: OptionSetValue, decimals, dates and lookups typed; id in OutputParameters; formatted values on Target', () => {
    const ctx = buildRemoteExecutionContext({
      ...ids,
      table: pfb_tasksync,
      messageName: 'Create',
      primaryEntityId: taskSyncId,
      depth: 1,
      mode: 1,
      stage: 40,
      target: {
        pfb_tasksyncid: taskSyncId,
        pfb_name: 'Install antenna',
        pfb_syncstatus: SyncStatus.ReadyToSync,
        pfb_plannedeffort: 12.5,
        pfb_attempts: 1200,
        pfb_requestedon: '2026-03-02T09:29:59Z',
        pfb_projecttask: { logicalName: 'msdyn_projecttask', id: 'AAAAAAAA-0000-4000-8000-000000000001', name: 'Install antenna' },
      },
      outputParameters: [{ key: 'id', value: taskSyncId }],
    });
    const target = ctx.InputParameters[0]?.value as Record<string, unknown>;
    const attrs = Object.fromEntries((target['Attributes'] as { key: string; value: unknown }[]).map((a) => [a.key, a.value]));
    expect(attrs).toEqual({
      pfb_tasksyncid: 'c0ffee00-1111-4222-8333-444455556666',
      pfb_name: 'Install antenna',
      pfb_syncstatus: { __type: 'OptionSetValue:http://schemas.microsoft.com/xrm/2011/Contracts', Value: 724310000 },
      pfb_plannedeffort: 12.5,
      pfb_attempts: 1200,
      pfb_requestedon: `/Date(${Date.parse('2026-03-02T09:29:59Z')})/`,
      pfb_projecttask: {
        __type: 'EntityReference:http://schemas.microsoft.com/xrm/2011/Contracts',
        Id: 'aaaaaaaa-0000-4000-8000-000000000001',
        KeyAttributes: [],
        LogicalName: 'msdyn_projecttask',
        Name: 'Install antenna',
        RowVersion: null,
      },
    });
    expect(target['FormattedValues']).toEqual([
      { key: 'pfb_syncstatus', value: 'Ready to Sync' },
      { key: 'pfb_plannedeffort', value: '12.50' },
      { key: 'pfb_attempts', value: '1,200' },
      { key: 'pfb_requestedon', value: '2026-03-02T09:29:59-00:00' },
    ]);
    expect(ctx.OutputParameters).toEqual([{ key: 'id', value: 'c0ffee00-1111-4222-8333-444455556666' }]);
    expect(ctx.UserId).toBe('0af3c2a1-0000-4000-8000-000000000001');
    expect(ctx.PrimaryEntityId).toBe('c0ffee00-1111-4222-8333-444455556666');
    expect(ctx.OperationCreatedOn).toBe(`/Date(${Date.parse('2026-03-02T09:30:00Z')}+0000)/`);
    expect(ctx.IsInTransaction).toBe(false);
    expect(ctx.ParentContext).toBeNull();
    const typeKeyFirst = Object.keys(target)[0];
    expect(typeKeyFirst).toBe('__type');
  });

  it('Money and booleans; images carry formatted values but no __type on the entity', () => {
    const invoiceLine = defineTable({
      logicalName: 'pfb_testline',
      entitySetName: 'pfb_testlines',
      displayName: 'Line',
      displayCollectionName: 'Lines',
      primaryNameAttribute: 'pfb_name',
      ownership: 'OrganizationOwned',
      objectTypeCode: 19999,
      origin: 'pfb',
      columns: [
        col.text('pfb_name', 'Name'),
        col.money('pfb_amount', 'Amount'),
        col.bool('pfb_billable', 'Billable'),
        col.choice('pfb_kind', 'Kind', optionSet('pfb_kind', [{ value: 1, label: 'Labour' }])),
        col.dateTime('pfb_day', 'Day', 'DateOnly'),
      ],
    });
    const id = '11111111-2222-4333-8444-555555555555';
    const ctx = buildRemoteExecutionContext({
      ...ids,
      table: invoiceLine,
      messageName: 'Update',
      primaryEntityId: id,
      depth: 2,
      mode: 0,
      stage: 40,
      target: { pfb_amount: 1234.5, pfb_billable: true },
      preImages: [{ alias: 'pre', attributes: { pfb_amount: 99, pfb_billable: false, pfb_kind: 1, pfb_day: '2026-01-02', pfb_name: 'Line 1' } }],
    });
    const target = ctx.InputParameters[0]?.value as Record<string, unknown>;
    expect(target['Attributes']).toEqual([
      { key: 'pfb_amount', value: { __type: 'Money:http://schemas.microsoft.com/xrm/2011/Contracts', Value: 1234.5 } },
      { key: 'pfb_billable', value: true },
    ]);
    expect(target['FormattedValues']).toEqual([]); // Update Targets carry none (docs sample)
    const pre = ctx.PreEntityImages[0];
    expect(pre?.key).toBe('pre');
    expect(pre?.value).not.toHaveProperty('__type');
    expect(pre?.value.Attributes).toContainEqual({ key: 'pfb_day', value: `/Date(${Date.UTC(2026, 0, 2)})/` });
    expect(pre?.value.FormattedValues).toEqual([
      { key: 'pfb_amount', value: '$99.00' },
      { key: 'pfb_billable', value: 'No' },
      { key: 'pfb_kind', value: 'Labour' },
      { key: 'pfb_day', value: '2026-01-02T00:00:00-00:00' },
    ]);
    expect(ctx.IsInTransaction).toBe(true);
    expect(ctx.Depth).toBe(2);
  });

  it('Delete: the Target is a typed EntityReference', () => {
    const ctx = buildRemoteExecutionContext({
      ...ids,
      table: pfb_tasksync,
      messageName: 'Delete',
      primaryEntityId: taskSyncId,
      depth: 1,
      mode: 1,
      stage: 40,
      target: { logicalName: 'pfb_tasksync', id: taskSyncId },
      operationCreatedOnOffsetMinutes: null,
    });
    expect(ctx.InputParameters).toEqual([
      {
        key: 'Target',
        value: {
          __type: 'EntityReference:http://schemas.microsoft.com/xrm/2011/Contracts',
          Id: 'c0ffee00-1111-4222-8333-444455556666',
          KeyAttributes: [],
          LogicalName: 'pfb_tasksync',
          Name: null,
          RowVersion: null,
        },
      },
    ]);
    expect(ctx.OperationCreatedOn).toBe(`/Date(${Date.parse('2026-03-02T09:30:00Z')})/`);
    expect(serializeRemoteExecutionContext(ctx)).toContain('"OperationCreatedOn":"\\/Date(');
  });
});

describe('string escaping (XmlJsonWriter)', () => {
  it.each([
    ['a/b', '"a\\/b"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['tab\tline\nret\r', '"tab\\tline\\nret\\r"'],
    ['\u0001\u001f', '"\\u0001\\u001f"'],
    ['café – ok', '"café – ok"'],
    ['😀', '"\\ud83d\\ude00"'],
    ['\uffff', '"\\uffff"'],
  ])('%j → %s', (input, expected) => {
    expect(escapeDataContractString(input)).toBe(expected);
    expect(JSON.parse(expected)).toBe(input);
  });
});

describe('payloadForSize (256 KB rule)', () => {
  const base = (memo: string): ExecutionContextInput => ({
    ...sampleScenario(sampleIds['2021-docs']),
    target: { contactid: '6d81597f-0f9f-e711-8122-000d3aa2331c', description: memo },
    preImages: [{ alias: 'pre', attributes: { description: memo } }],
  });

  it('keeps a body at or under the limit whole', () => {
    const ctx = buildRemoteExecutionContext(base('x'.repeat(1000)));
    const { body, sizeExceeded } = payloadForSize(ctx);
    expect(sizeExceeded).toBe(false);
    expect(body).toBe(serializeRemoteExecutionContext(ctx));
  });

  it('counts bytes, not characters, and empties ParentContext, InputParameters and the images above it', () => {
    // 90,000 three-byte characters, twice (Target and pre-image): ~540 KB of UTF-8 but only ~180,000 characters.
    const ctx = buildRemoteExecutionContext(base('€'.repeat(90_000)));
    expect(serializeRemoteExecutionContext(ctx).length).toBeLessThan(WEBHOOK_MAX_PAYLOAD_BYTES);
    const { body, sizeExceeded } = payloadForSize(ctx);
    expect(sizeExceeded).toBe(true);
    const parsed = JSON.parse(body) as Record<string, unknown>;
    expect(parsed['InputParameters']).toEqual([]);
    expect(parsed['PreEntityImages']).toEqual([]);
    expect(parsed['PostEntityImages']).toEqual([]);
    expect(parsed['ParentContext']).toBeNull();
    expect(parsed['PrimaryEntityId']).toBe('6d81597f-0f9f-e711-8122-000d3aa2331c');
    expect(parsed['PrimaryEntityName']).toBe('contact');
    expect(Object.keys(parsed)).toEqual(Object.keys(ctx)); // every member still there, in order
    expect(Buffer.byteLength(body)).toBeLessThan(WEBHOOK_MAX_PAYLOAD_BYTES);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { renderSchemaSubset } from '../scripts/schemaSubset';
import * as domain from '@pfb/domain';
import * as names from './schemaNames';

describe('schemaNames (generated from the schema module)', () => {
  it('is up to date with domain/src/schema (run npm run build -w @pfb/pcf when this fails)', () => {
    const committed = fs.readFileSync(path.join(__dirname, 'schemaNames.ts'), 'utf8');
    expect(committed).toBe(renderSchemaSubset());
  });

  it('carries the schema values the controls rely on', () => {
    expect(names.SyncStatus).toEqual(domain.SyncStatus);
    expect(names.FieldStage).toEqual(domain.FieldStage);
    expect(names.msdyn_workorder.entitySetName).toBe(domain.msdyn_workorder.entitySetName);
    expect(names.bookableresourcebooking.lookups.bookingstatus.navigationProperty).toBe(domain.navigationPropertyOf(domain.bookableresourcebooking.columns.bookingstatus));
  });
});

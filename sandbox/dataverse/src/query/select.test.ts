import { schema, type TableDef } from '@pfb/domain';
import { DataverseError } from '../protocol/errors';
import { parseSelect } from './select';

const workOrder = schema.table('msdyn_workorder') as TableDef;

function failure(select: string): DataverseError {
  try {
    parseSelect(select, workOrder);
  } catch (e) {
    if (e instanceof DataverseError) return e;
    throw e;
  }
  throw new Error(`expected $select=${select} to be refused`);
}

describe('parseSelect', () => {
  it('returns every column when $select is absent, empty or *', () => {
    for (const select of [undefined, '', '  ', '*', 'msdyn_name,*']) {
      const plan = parseSelect(select, workOrder);
      expect(plan.all).toBe(true);
      expect(plan.columns).toEqual(Object.keys(workOrder.columns));
    }
  });

  it('keeps request order, drops repeats and maps _x_value to the lookup column', () => {
    expect(parseSelect('msdyn_name,_pfb_tasksync_value,msdyn_name,_ownerid_value', workOrder)).toEqual({
      columns: ['msdyn_name', 'pfb_tasksync', 'ownerid'],
      all: false,
    });
  });

  it('does not add the primary key: the serializer returns it and @odata.context lists only the selection', () => {
    expect(parseSelect('msdyn_name', workOrder).columns).toEqual(['msdyn_name']);
    expect(parseSelect('msdyn_name,msdyn_workorderid', workOrder).columns).toEqual(['msdyn_name', 'msdyn_workorderid']);
  });

  it('tolerates white space around commas', () => {
    expect(parseSelect(' msdyn_name , msdyn_city ', workOrder).columns).toEqual(['msdyn_name', 'msdyn_city']);
  });

  it('names an unknown property exactly as Dataverse does', () => {
    const e = failure('msdyn_name,bogus');
    expect(e.status).toBe(400);
    expect(e.message).toBe("Could not find a property named 'bogus' on type 'Microsoft.Dynamics.CRM.msdyn_workorder'.");
  });

  it('refuses a lookup by its logical name, a wrong case, and a navigation path', () => {
    expect(failure('pfb_tasksync').message).toBe("Could not find a property named 'pfb_tasksync' on type 'Microsoft.Dynamics.CRM.msdyn_workorder'.");
    expect(failure('MSDYN_NAME').message).toContain("'MSDYN_NAME'");
    expect(failure('pfb_tasksync/pfb_name').message).toContain('$expand=pfb_tasksync($select=pfb_name)');
    expect(failure('msdyn_name,').status).toBe(400);
  });
});

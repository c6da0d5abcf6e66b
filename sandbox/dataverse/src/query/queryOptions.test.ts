import { schema, type TableDef } from '@pfb/domain';
import { DataverseError } from '../protocol/errors';
import { parseQueryOptions, substituteAliases } from './queryOptions';

const workOrder = schema.table('msdyn_workorder') as TableDef;
const parse = (query: string) => parseQueryOptions(new URLSearchParams(query), workOrder, schema);

function failure(query: string): DataverseError {
  try {
    parse(query);
  } catch (e) {
    if (e instanceof DataverseError) return e;
    throw e;
  }
  throw new Error(`expected ?${query} to be refused`);
}

describe('parseQueryOptions', () => {
  it('reads $select, $filter, $orderby, $top, $count, $expand and $skiptoken', () => {
    const bookings = schema.relationships.find((r) => r.referencingEntity === 'bookableresourcebooking' && r.referencingAttribute === 'msdyn_workorder');
    const o = parse(
      `$select=msdyn_name,_pfb_tasksync_value&$filter=msdyn_city eq 'Brisbane'&$orderby=msdyn_name desc&$top=10&$count=true&$expand=${bookings?.referencedNavigationProperty ?? ''}($select=name)&$skiptoken=abc`,
    );
    expect(o.select).toEqual({ columns: ['msdyn_name', 'pfb_tasksync'], all: false });
    expect(o.filter).toBe("msdyn_city eq 'Brisbane'");
    expect(o.orderby).toBe('msdyn_name desc');
    expect(o.top).toBe(10);
    expect(o.count).toBe(true);
    expect(o.expand.map((e) => e.navigationProperty)).toEqual([bookings?.referencedNavigationProperty]);
    expect(o.skiptoken).toBe('abc');
  });

  it('defaults to every column, no filter, no count and no expansion', () => {
    const o = parse('');
    expect(o).toMatchObject({ count: false, expand: [] });
    expect(o.select.all).toBe(true);
    expect(o.filter).toBeUndefined();
    expect(o.top).toBeUndefined();
  });

  it('refuses $skip exactly as Dataverse does (page with $skiptoken instead)', () => {
    const e = failure('$select=msdyn_name&$skip=10');
    expect(e.status).toBe(400);
    expect(e.code).toBe('0x80060888');
    expect(e.message).toBe('The query parameter $skip is not supported');
  });

  it('refuses $apply and unknown system query options, naming them', () => {
    expect(failure('$apply=aggregate($count as total)').message).toContain('$apply');
    expect(failure('$search=antenna').message).toBe("The query parameter '$search' is not supported.");
  });

  it('ignores custom query options and refuses a repeated system option', () => {
    expect(parse('source=bridge').select.all).toBe(true);
    expect(failure('$top=1&$top=2').message).toBe("Query option '$top' was specified more than once, but it must be specified at most once.");
  });

  it('validates $top and $count', () => {
    for (const top of ['0', '-1', 'ten', '1.5', '99999999999']) {
      expect(failure(`$top=${top}`).message).toBe(`Invalid value '${top}' for $top query option found. The $top query option requires a positive integer value.`);
    }
    expect(parse('$count=false').count).toBe(false);
    expect(failure('$count=yes').message).toBe("'yes' is not a valid count option.");
  });

  it('validates $filter and $orderby before anything runs', () => {
    expect(failure("$filter=bogus eq 'x'").message).toBe("Could not find a property named 'bogus' on type 'Microsoft.Dynamics.CRM.msdyn_workorder'.");
    expect(failure('$orderby=bogus').message).toBe("Could not find a property named 'bogus' on type 'Microsoft.Dynamics.CRM.msdyn_workorder'.");
  });

  it('substitutes parameter aliases, leaving string literals alone', () => {
    const o = parse(`$filter=Microsoft.Dynamics.CRM.In(PropertyName=@p1,PropertyValues=@p2) and msdyn_name ne '@p1'&@p1='msdyn_city'&@p2=["O'Brien","Sydney"]`);
    expect(o.filter).toBe(`Microsoft.Dynamics.CRM.In(PropertyName='msdyn_city',PropertyValues=["O'Brien","Sydney"]) and msdyn_name ne '@p1'`);
    expect(substituteAliases('msdyn_city eq @missing', new Map())).toBe('msdyn_city eq null');
  });
});

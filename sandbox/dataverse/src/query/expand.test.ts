import { schema, type TableDef } from '@pfb/domain';
import { DataverseError } from '../protocol/errors';
import { MAX_EXPAND_OPTIONS, parseExpand } from './expand';

const table = (name: string): TableDef => {
  const t = schema.table(name);
  if (!t) throw new Error(`schema has no ${name}`);
  return t;
};
const workOrder = table('msdyn_workorder');
const booking = table('bookableresourcebooking');

const relationship = (child: string, attribute: string) => {
  const r = schema.relationships.find((x) => x.referencingEntity === child && x.referencingAttribute === attribute);
  if (!r) throw new Error(`no relationship ${child}.${attribute}`);
  return r;
};
/** Navigation property names come from the schema, so the tests follow it if a relationship is renamed. */
const bookingToWorkOrder = relationship('bookableresourcebooking', 'msdyn_workorder');
const bookingToStatus = relationship('bookableresourcebooking', 'bookingstatus');
const eventToBooking = relationship('pfb_fieldevent', 'pfb_booking');
const workOrderToTaskSync = relationship('msdyn_workorder', 'pfb_tasksync');
const bookingsOfWorkOrder = bookingToWorkOrder.referencedNavigationProperty;
const eventsOfBooking = eventToBooking.referencedNavigationProperty;
const ONLY_SELECT_AND_FILTER =
  'Only $select and $filter clause can be provided while doing $expand on many-to-one relationship or nested one-to-many relationship.';

function failure(expand: string, on: TableDef = workOrder): DataverseError {
  try {
    parseExpand(expand, on, schema);
  } catch (e) {
    if (e instanceof DataverseError) return e;
    throw e;
  }
  throw new Error(`expected $expand=${expand} to be refused`);
}

describe('parseExpand', () => {
  it('plans a single-valued navigation property from the lookup on this table', () => {
    const [plan, ...rest] = parseExpand(`${bookingToWorkOrder.referencingNavigationProperty}($select=msdyn_name,_pfb_tasksync_value)`, booking, schema);
    expect(rest).toEqual([]);
    expect(plan).toMatchObject({
      navigationProperty: bookingToWorkOrder.referencingNavigationProperty,
      relationship: bookingToWorkOrder,
      collection: false,
      targetTable: workOrder,
      select: { columns: ['msdyn_name', 'pfb_tasksync'], all: false },
      expand: [],
    });
  });

  it('plans a collection-valued navigation property with its nested options, kept as written', () => {
    const [plan] = parseExpand(
      `${bookingsOfWorkOrder}($select=name, duration; $filter=contains(name,'a;b)c') and duration gt 30;$orderby=starttime desc;$top=5)`,
      workOrder,
      schema,
    );
    expect(plan).toMatchObject({
      navigationProperty: bookingsOfWorkOrder,
      relationship: bookingToWorkOrder,
      collection: true,
      targetTable: booking,
      select: { columns: ['name', 'duration'], all: false },
      filter: "contains(name,'a;b)c') and duration gt 30",
      orderby: 'starttime desc',
      top: 5,
    });
  });

  it('expands several properties and nests single-valued expansions inside a collection', () => {
    const plans = parseExpand(
      `${workOrderToTaskSync.referencingNavigationProperty}($select=pfb_name),${bookingsOfWorkOrder}($select=name;$expand=${bookingToStatus.referencingNavigationProperty}($select=name))`,
      workOrder,
      schema,
    );
    expect(plans.map((p) => [p.navigationProperty, p.collection])).toEqual([
      [workOrderToTaskSync.referencingNavigationProperty, false],
      [bookingsOfWorkOrder, true],
    ]);
    expect(plans[1]?.expand[0]).toMatchObject({ navigationProperty: bookingToStatus.referencingNavigationProperty, collection: false, targetTable: table('bookingstatus') });
    expect(plans[0]?.select.all).toBe(false);
    expect(parseExpand(bookingsOfWorkOrder, workOrder, schema)[0]?.select.all).toBe(true);
  });

  it('nests collections within collections (1:N inside 1:N is supported)', () => {
    const [plan] = parseExpand(`${bookingsOfWorkOrder}($expand=${eventsOfBooking}($select=pfb_eventid;$filter=pfb_sequence gt 1))`, workOrder, schema);
    expect(plan?.expand[0]).toMatchObject({ navigationProperty: eventsOfBooking, collection: true, filter: 'pfb_sequence gt 1' });
  });

  it('names an unknown navigation property as Dataverse does', () => {
    const e = failure('bogus($select=name)');
    expect(e.status).toBe(400);
    expect(e.message).toBe("Could not find a property named 'bogus' on type 'Microsoft.Dynamics.CRM.msdyn_workorder'.");
    expect(failure('msdyn_name').message).toBe(
      "Property 'msdyn_name' on type 'Microsoft.Dynamics.CRM.msdyn_workorder' is not a navigation property or complex property. Only navigation properties can be expanded.",
    );
  });

  it('validates nested options against the target table', () => {
    expect(failure(`${bookingsOfWorkOrder}($select=msdyn_name)`).message).toBe(
      "Could not find a property named 'msdyn_name' on type 'Microsoft.Dynamics.CRM.bookableresourcebooking'.",
    );
    expect(failure(`${bookingsOfWorkOrder}($filter=bogus eq 1)`).message).toBe(
      "Could not find a property named 'bogus' on type 'Microsoft.Dynamics.CRM.bookableresourcebooking'.",
    );
    expect(failure(`${bookingsOfWorkOrder}($orderby=bogus)`).status).toBe(400);
    expect(failure(`${bookingsOfWorkOrder}($top=0)`).status).toBe(400);
  });

  it('allows $orderby and $top only on a collection, and not once any $expand is nested (join-tables.md)', () => {
    const single = `${workOrderToTaskSync.referencingNavigationProperty}`;
    expect(failure(`${single}($orderby=pfb_name)`).message).toBe(ONLY_SELECT_AND_FILTER);
    expect(failure(`${single}($top=1)`).message).toBe(ONLY_SELECT_AND_FILTER);
    expect(failure(`${bookingsOfWorkOrder}($top=1;$expand=${bookingToStatus.referencingNavigationProperty})`).message).toBe(ONLY_SELECT_AND_FILTER);
    expect(failure(`${bookingsOfWorkOrder}($top=1),${single}($expand=ownerid)`).message).toBe(ONLY_SELECT_AND_FILTER);
    expect(failure(`${bookingsOfWorkOrder}($expand=${eventsOfBooking}($orderby=pfb_sequence))`).message).toBe(ONLY_SELECT_AND_FILTER);
  });

  it('refuses the options Dataverse does not support inside $expand', () => {
    expect(failure(`${bookingsOfWorkOrder}($skip=1)`).message).toBe('The query parameter $skip is not supported');
    expect(failure(`${bookingsOfWorkOrder}($count=true)`).message).toContain('$count');
    expect(failure(`${bookingsOfWorkOrder}($levels=2)`).message).toContain('$levels');
    expect(failure(`${bookingsOfWorkOrder}($select=name;$select=duration)`).message).toBe(
      "Query option '$select' was specified more than once, but it must be specified at most once.",
    );
    expect(failure('*').status).toBe(400);
  });

  it(`allows at most ${MAX_EXPAND_OPTIONS} $expand options in a query`, () => {
    const many = (n: number): string => Array.from({ length: n }, () => `${bookingsOfWorkOrder}($select=name)`).join(',');
    expect(parseExpand(many(MAX_EXPAND_OPTIONS), workOrder, schema)).toHaveLength(MAX_EXPAND_OPTIONS);
    expect(failure(many(MAX_EXPAND_OPTIONS + 1)).message).toContain('Number of link entities in query exceeded maximum limit');
  });

  it('reports syntax errors', () => {
    expect(failure(`${bookingsOfWorkOrder}($select=name`).status).toBe(400);
    expect(failure(`${bookingsOfWorkOrder}($filter=name eq 'x)`).message).toContain('unterminated literal');
  });
});

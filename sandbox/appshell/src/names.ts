/**
 * The logical names, entity sets, navigation properties and option values the shell's pages read and write, all
 * from the one schema module (@pfb/domain), so a page cannot disagree with the local Dataverse or a real one.
 */
import {
  BookingSystemStatus,
  DispatchStatus,
  bookableresource,
  bookableresourcebooking,
  bookingstatus,
  msdyn_project,
  msdyn_projecttask,
  msdyn_resourcerequirement,
  msdyn_workorder,
  navigationPropertyOf,
  pfb_projectprogress,
  schema,
} from '@pfb/domain/src/schema';

export { BookingSystemStatus, DispatchStatus, bookableresource, bookableresourcebooking, bookingstatus, msdyn_project, msdyn_projecttask, msdyn_resourcerequirement, msdyn_workorder, pfb_projectprogress };

/** `_x_value`: the property a Web API read returns for a lookup column. */
export const valueOf = (column: { readonly logicalName: string }): string => `_${column.logicalName}_value`;

/** `Nav@odata.bind`: how a create sets a lookup. */
export const bindOf = (column: Parameters<typeof navigationPropertyOf>[0]): string => `${navigationPropertyOf(column)}@odata.bind`;

export const navOf = navigationPropertyOf;

/** The collection of a parent row's children through one lookup of theirs, e.g. a requirement's bookings. */
export function childrenOf(child: string, lookup: string): string {
  const r = schema.manyToOneOf(child).find((x) => x.referencingAttribute === lookup);
  if (!r) throw new Error(`The schema has no relationship ${child}.${lookup}.`);
  return r.referencedNavigationProperty;
}

export const FORMATTED = '@OData.Community.Display.V1.FormattedValue';

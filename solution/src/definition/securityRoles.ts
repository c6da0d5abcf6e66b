/**
 * The two security roles the solution ships.
 *
 * Coordinator: added on top of a coordinator's Project Operations role (Project Manager), which already grants the
 * project tables and users' basics. It adds what the ribbon command, the WBS work-order grid and the progress panel
 * need: read project data and the field tables, create and write pfb_tasksync rows and point them at tasks,
 * projects and the requesting user.
 *
 * Bridge (the application user): least privilege, derived from what functions-bridge/src/services reads and writes.
 * Every grant names the service that needs it; nothing else is granted (no Delete anywhere, no Assign, no Share).
 * Application users work across business units, so its grants are organization-wide (Global).
 *
 * Depth: organization-owned tables (bookingstatus, msdyn_workordertype, pfb_fieldevent) only have organization-level
 * privileges, so their grants are Global whatever the role.
 */
import {
  account,
  bookableresource,
  bookableresourcebooking,
  bookableresourcecategory,
  bookingstatus,
  contact,
  msdyn_project,
  msdyn_projectteam,
  msdyn_projecttask,
  msdyn_resourceassignment,
  msdyn_resourcerequirement,
  msdyn_workorder,
  msdyn_workordertype,
  pfb_fieldevent,
  pfb_projectprogress,
  pfb_tasksync,
  pricelevel,
  systemuser,
  type TableDef,
} from '@pfb/domain';
import type { PrivilegeLevel } from '../schema/platformTables';
import type { PrivilegeRight } from '../schema/platformNames';
import { componentId } from './ids';

export interface RoleGrant {
  readonly table: TableDef;
  readonly rights: readonly PrivilegeRight[];
  readonly level: PrivilegeLevel;
  /** Why the role needs it: the component or service that does it. */
  readonly why: string;
}

export interface SecurityRoleDefinition {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly grants: readonly RoleGrant[];
}

function role(name: string, description: string, grants: readonly RoleGrant[]): SecurityRoleDefinition {
  return { id: componentId('role', name), name, description, grants };
}

const grant = (table: TableDef, rights: readonly PrivilegeRight[], level: PrivilegeLevel, why: string): RoleGrant => ({ table, rights, level, why });

export const COORDINATOR_ROLE = role(
  'Project Field Bridge Coordinator',
  'Marks project tasks Ready to Sync and follows their work orders, bookings and field progress. Assign with the Project Operations role a coordinator already has.',
  [
    grant(pfb_tasksync, ['Create'], 'Basic', 'the Ready to Sync command creates one row per task, owned by the coordinator'),
    grant(pfb_tasksync, ['Read'], 'Global', 'the progress panel and the grid show every task sync row'),
    grant(pfb_tasksync, ['Write', 'Append'], 'Local', 'marking a task again updates its row (the alternate-key upsert) even when a colleague in the business unit created it'),
    grant(pfb_projectprogress, ['Read'], 'Global', 'the progress panel'),
    grant(pfb_fieldevent, ['Read'], 'Global', 'the progress panel lists the field events of a booking'),
    grant(msdyn_project, ['Read', 'AppendTo'], 'Global', 'validation reads the project; pfb_tasksync.pfb_project points to it'),
    grant(msdyn_projecttask, ['Read', 'AppendTo'], 'Global', 'validation reads tasks; pfb_tasksync.pfb_projecttask points to it'),
    grant(msdyn_resourceassignment, ['Read'], 'Global', 'validation reads the generic resource assignments'),
    grant(msdyn_projectteam, ['Read'], 'Global', 'validation reads the assigned team members and their roles'),
    grant(bookableresourcecategory, ['Read'], 'Global', 'validation checks each role is mapped to a work order type'),
    grant(msdyn_workorder, ['Read'], 'Global', 'the WBS work-order grid'),
    grant(msdyn_resourcerequirement, ['Read'], 'Global', 'the WBS work-order grid shows requirements'),
    grant(bookableresourcebooking, ['Read'], 'Global', 'the WBS work-order grid and the progress panel show bookings'),
    grant(bookingstatus, ['Read'], 'Global', 'booking status names in the grid and panel'),
    grant(systemuser, ['AppendTo'], 'Global', 'pfb_tasksync.pfb_requestedby points to the coordinator'),
  ],
);

export const BRIDGE_ROLE = role(
  'Project Field Bridge Integration',
  "The bridge's application user: exactly the reads and writes of task sync, booking dispatch and field events. Nothing is deleted, assigned or shared.",
  [
    grant(pfb_tasksync, ['Read', 'Write', 'AppendTo'], 'Global', 'taskSync reads and records sync outcomes; fieldEvents writes task roll-ups; work orders point to the row'),
    grant(pfb_projectprogress, ['Create', 'Read', 'Write', 'Append'], 'Global', 'fieldEvents rollupWriter upserts one row per project by its alternate key'),
    grant(pfb_fieldevent, ['Create', 'Read', 'Append'], 'Global', 'fieldEvents applyEvents records each inbound event against its booking'),
    grant(msdyn_workorder, ['Create', 'Read', 'Write', 'Append'], 'Global', 'taskSync upserts work orders by pfb_sourcekey, cancels them, and binds account, price list, type, project, task and task sync'),
    grant(msdyn_resourcerequirement, ['Read', 'Write', 'Append'], 'Global', 'taskSync sets the requirement window and role of the requirement Field Service creates'),
    grant(bookableresourcebooking, ['Read', 'Write', 'Append', 'AppendTo'], 'Global', 'bookingDispatch records the dispatch; fieldEvents sets stage, actuals and booking status; events point to the booking'),
    grant(bookingstatus, ['Create', 'Read', 'AppendTo'], 'Global', 'fieldEvents creates a missing field-stage status and moves bookings to it'),
    grant(msdyn_project, ['Read', 'AppendTo'], 'Global', 'taskSync and fieldEvents read projects; work orders and progress rows point to them'),
    grant(msdyn_projecttask, ['Read', 'AppendTo'], 'Global', 'taskSync reads tasks; work orders point to them'),
    grant(msdyn_resourceassignment, ['Read'], 'Global', 'taskSync reads the generic resource assignments'),
    grant(msdyn_projectteam, ['Read'], 'Global', 'taskSync reads team members and their roles'),
    grant(bookableresourcecategory, ['Read', 'AppendTo'], 'Global', 'taskSync reads role mappings; requirements point to the role'),
    grant(bookableresource, ['Read'], 'Global', 'bookingDispatch reads the technician and their mobility user id'),
    grant(account, ['Read', 'AppendTo'], 'Global', 'bookingDispatch reads the site address; work orders point to the service account'),
    grant(contact, ['Read'], 'Global', "bookingDispatch reads a contact technician's e-mail"),
    grant(systemuser, ['Read'], 'Global', "bookingDispatch reads a user technician's e-mail"),
    grant(msdyn_workordertype, ['AppendTo'], 'Global', 'work orders point to their work order type'),
    grant(pricelevel, ['AppendTo'], 'Global', 'work orders point to their price list'),
  ],
);

export const SECURITY_ROLES: readonly SecurityRoleDefinition[] = [COORDINATOR_ROLE, BRIDGE_ROLE];

/**
 * Names Dataverse gives platform and first-party tables that the domain schema module does not carry, because the
 * runtime addresses tables by logical name only:
 * - the SchemaName (PascalCase for platform tables) that solution files use in `<Entity><Name>`, `<entity Name>`,
 *   relationship ends and privilege names;
 * - the privilege name stem where it is not the SchemaName (systemuser's privileges are prvReadUser…, the
 *   classic names kept since CRM 4).
 * Our own tables and Project Operations / Field Service tables use their lower-case logical name as SchemaName
 * (msdyn_workorder, pfb_tasksync), so they need no entry.
 */
import type { TableDef } from '@pfb/domain';

const SCHEMA_NAMES: Readonly<Record<string, string>> = {
  account: 'Account',
  contact: 'Contact',
  businessunit: 'BusinessUnit',
  systemuser: 'SystemUser',
  team: 'Team',
  transactioncurrency: 'TransactionCurrency',
  pricelevel: 'PriceLevel',
  task: 'Task',
  serviceendpoint: 'ServiceEndpoint',
  sdkmessage: 'SdkMessage',
  sdkmessagefilter: 'SdkMessageFilter',
  sdkmessageprocessingstep: 'SdkMessageProcessingStep',
  sdkmessageprocessingstepimage: 'SdkMessageProcessingStepImage',
  asyncoperation: 'AsyncOperation',
  bookableresource: 'BookableResource',
  bookableresourcebooking: 'BookableResourceBooking',
  bookableresourcecategory: 'BookableResourceCategory',
  bookableresourcecategoryassn: 'BookableResourceCategoryAssn',
  bookableresourcecharacteristic: 'BookableResourceCharacteristic',
  bookingstatus: 'BookingStatus',
  characteristic: 'Characteristic',
};

const PRIVILEGE_STEMS: Readonly<Record<string, string>> = {
  systemuser: 'User',
};

/** The table's SchemaName as solution files write it. */
export function tableSchemaName(table: Pick<TableDef, 'logicalName' | 'schemaName'>): string {
  return SCHEMA_NAMES[table.logicalName] ?? table.schemaName;
}

export type PrivilegeRight = 'Create' | 'Read' | 'Write' | 'Delete' | 'Append' | 'AppendTo' | 'Assign' | 'Share';

/** Access rights in privilege order (accessright bit values: Read 1, Write 2, Append 4, AppendTo 16, Create 32, Delete 65536, Share 262144, Assign 524288). */
export const PRIVILEGE_RIGHTS: Readonly<Record<PrivilegeRight, number>> = {
  Read: 1,
  Write: 2,
  Append: 4,
  AppendTo: 16,
  Create: 32,
  Delete: 65536,
  Share: 262144,
  Assign: 524288,
};

/** `prv<Right><Stem>`: e.g. prvReadpfb_tasksync, prvAppendTomsdyn_workorder, prvReadUser. */
export function privilegeName(right: PrivilegeRight, table: Pick<TableDef, 'logicalName' | 'schemaName'>): string {
  return `prv${right}${PRIVILEGE_STEMS[table.logicalName] ?? tableSchemaName(table)}`;
}

/** The rights a table has privileges for: user-owned tables also Assign and Share. */
export function privilegeRightsOf(table: Pick<TableDef, 'ownership'>): PrivilegeRight[] {
  const rights: PrivilegeRight[] = ['Create', 'Read', 'Write', 'Delete', 'Append', 'AppendTo'];
  if (table.ownership === 'UserOwned') rights.push('Assign', 'Share');
  return rights;
}

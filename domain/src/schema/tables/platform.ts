/**
 * Dataverse platform tables the product reads or writes: customers and people, users and teams, currency and
 * price lists, and the plumbing of webhooks (service endpoints, messages, steps, images, system jobs).
 * ObjectTypeCodes are the platform's fixed ones. Relationship names are given where the real name is known,
 * because the collection-valued navigation property on the parent (e.g. `serviceendpoint_sdkmessageprocessingstep`)
 * is what clients type in `$expand` and in paths.
 */
import { col, defineTable, type Col } from '../build';
import {
  asyncOperationStates,
  asyncOperationTypeOptionSet,
  customerTypeOptionSet,
  priceLevelStates,
  serviceEndpointAuthTypeOptionSet,
  serviceEndpointContractOptionSet,
  serviceEndpointMessageFormatOptionSet,
  stepDeploymentOptionSet,
  stepImageTypeOptionSet,
  stepModeOptionSet,
  stepStageOptionSet,
  stepStates,
  teamTypeOptionSet,
} from '../choices';
import type { ColumnDef } from '../types';

/** A GUID column that is not the primary key (col.id is create-only and system-required). */
function guid<N extends string>(logicalName: N, displayName: string, opts: Partial<ColumnDef> = {}): Col<N> {
  return { schemaName: logicalName, type: 'uniqueidentifier', displayName, required: 'none', ...opts, logicalName };
}

/**
 * asyncoperation.regardingobjectid: a Lookup (not Customer) with one relationship per target, named as Dataverse
 * names them: `regardingobjectid_<target>` on the job, `<SchemaName>_AsyncOperations` on the record. Polymorphic
 * over every table in Dataverse; here over the tables the product registers steps on or reads jobs for.
 */
const asyncRegardingRelationships: Readonly<Record<string, string>> = {
  pfb_tasksync: 'pfb_tasksync_AsyncOperations',
  pfb_projectprogress: 'pfb_projectprogress_AsyncOperations',
  pfb_fieldevent: 'pfb_fieldevent_AsyncOperations',
  bookableresourcebooking: 'BookableResourceBooking_AsyncOperations',
  msdyn_workorder: 'msdyn_workorder_AsyncOperations',
  msdyn_project: 'msdyn_project_AsyncOperations',
  msdyn_projecttask: 'msdyn_projecttask_AsyncOperations',
  account: 'Account_AsyncOperations',
  contact: 'Contact_AsyncOperations',
};

function asyncRegarding(): Col<'regardingobjectid'> {
  const perTarget: Record<string, { navigationProperty: string; relationshipName: string; referencedNavigationProperty: string }> = {};
  for (const [t, name] of Object.entries(asyncRegardingRelationships)) {
    perTarget[t] = { navigationProperty: `regardingobjectid_${t}`, relationshipName: name, referencedNavigationProperty: name };
  }
  return { ...col.lookup('regardingobjectid', 'Regarding', Object.keys(asyncRegardingRelationships)), type: 'lookup', perTarget };
}

const latitude = { min: -90, max: 90, precision: 5 } as const;
const longitude = { min: -180, max: 180, precision: 5 } as const;

export const account = defineTable({
  logicalName: 'account',
  entitySetName: 'accounts',
  displayName: 'Account',
  displayCollectionName: 'Accounts',
  description: 'Customers (the carrier) and service accounts (cell sites) that work orders are raised against.',
  primaryNameAttribute: 'name',
  ownership: 'UserOwned',
  objectTypeCode: 1,
  origin: 'platform',
  columns: [
    col.text('name', 'Account Name', 160, { required: 'application' }),
    col.text('accountnumber', 'Account Number', 20),
    col.text('telephone1', 'Main Phone', 50),
    col.text('emailaddress1', 'Email', 100),
    col.text('address1_line1', 'Address 1: Street 1', 250),
    col.text('address1_city', 'Address 1: City', 80),
    col.text('address1_stateorprovince', 'Address 1: State/Province', 50),
    col.text('address1_postalcode', 'Address 1: ZIP/Postal Code', 20),
    col.text('address1_country', 'Address 1: Country/Region', 80),
    col.double('address1_latitude', 'Address 1: Latitude', latitude),
    col.double('address1_longitude', 'Address 1: Longitude', longitude),
    col.lookup('primarycontactid', 'Primary Contact', 'contact', { relationshipName: 'account_primary_contact' }),
    col.lookup('parentaccountid', 'Parent Account', 'account', { relationshipName: 'account_parent_account' }),
    col.lookup('defaultpricelevelid', 'Price List', 'pricelevel', { relationshipName: 'price_level_accounts' }),
    col.lookup('transactioncurrencyid', 'Currency', 'transactioncurrency', { relationshipName: 'transactioncurrency_account' }),
    col.money('revenue', 'Annual Revenue', { description: 'In the account currency (transactioncurrencyid).' }),
    col.choice('customertypecode', 'Relationship Type', customerTypeOptionSet),
    col.memo('description', 'Description', 2000),
  ],
});

export const contact = defineTable({
  logicalName: 'contact',
  entitySetName: 'contacts',
  displayName: 'Contact',
  displayCollectionName: 'Contacts',
  description: 'People at the carrier and subcontractor technicians (contact-type bookable resources).',
  primaryNameAttribute: 'fullname',
  ownership: 'UserOwned',
  objectTypeCode: 2,
  origin: 'platform',
  columns: [
    col.text('firstname', 'First Name', 50),
    col.text('lastname', 'Last Name', 50, { required: 'application' }),
    // Composed by the platform from first and last name; the seed writes it directly.
    col.text('fullname', 'Full Name', 160),
    col.text('emailaddress1', 'Email', 100),
    col.text('telephone1', 'Business Phone', 50),
    col.text('jobtitle', 'Job Title', 100),
    // Customer lookup: one relationship per target, each with its own navigation property names.
    {
      ...col.lookup('parentcustomerid', 'Company Name', ['account', 'contact']),
      perTarget: {
        account: { navigationProperty: 'parentcustomerid_account', relationshipName: 'contact_customer_accounts', referencedNavigationProperty: 'contact_customer_accounts' },
        contact: { navigationProperty: 'parentcustomerid_contact', relationshipName: 'contact_customer_contacts', referencedNavigationProperty: 'contact_customer_contacts' },
      },
    },
  ],
});

export const businessunit = defineTable({
  logicalName: 'businessunit',
  entitySetName: 'businessunits',
  displayName: 'Business Unit',
  displayCollectionName: 'Business Units',
  primaryNameAttribute: 'name',
  // Dataverse: BusinessOwned with no statecode; modelled as organization-owned (the extra state columns are inert).
  ownership: 'OrganizationOwned',
  objectTypeCode: 10,
  origin: 'platform',
  columns: [
    col.text('name', 'Name', 160, { required: 'system' }),
    col.lookup('parentbusinessunitid', 'Parent Business', 'businessunit', { relationshipName: 'business_unit_parent_business_unit' }),
    col.bool('isdisabled', 'Is Disabled'),
  ],
});

export const systemuser = defineTable({
  logicalName: 'systemuser',
  entitySetName: 'systemusers',
  displayName: 'User',
  displayCollectionName: 'Users',
  description: 'Licensed users (coordinators, technicians) and application users (the bridge); WhoAmI returns one.',
  primaryNameAttribute: 'fullname',
  // Dataverse: BusinessOwned, disabled through isdisabled rather than statecode.
  ownership: 'OrganizationOwned',
  objectTypeCode: 8,
  origin: 'platform',
  columns: [
    col.text('firstname', 'First Name', 64),
    col.text('lastname', 'Last Name', 64),
    col.text('fullname', 'Full Name', 200),
    col.text('domainname', 'User Name', 1024, { description: 'The sign-in name (UPN).' }),
    col.text('internalemailaddress', 'Primary Email', 100),
    guid('azureactivedirectoryobjectid', 'Azure AD Object ID', { description: 'Entra object id; what the CallerObjectId header names.' }),
    guid('applicationid', 'Application ID', { description: 'Set only on application users: the Entra app (client) id.' }),
    col.bool('isdisabled', 'Status', { description: 'Disabled users cannot sign in or be impersonated.' }),
    col.lookup('businessunitid', 'Business Unit', 'businessunit', { required: 'system', relationshipName: 'business_unit_system_users' }),
  ],
});

export const team = defineTable({
  logicalName: 'team',
  entitySetName: 'teams',
  displayName: 'Team',
  displayCollectionName: 'Teams',
  primaryNameAttribute: 'name',
  // Dataverse: BusinessOwned with no statecode.
  ownership: 'OrganizationOwned',
  objectTypeCode: 9,
  origin: 'platform',
  columns: [
    col.text('name', 'Team Name', 160, { required: 'system' }),
    col.lookup('businessunitid', 'Business Unit', 'businessunit', { required: 'system', relationshipName: 'business_unit_teams' }),
    col.lookup('administratorid', 'Administrator', 'systemuser', { relationshipName: 'lk_teambase_administratorid' }),
    col.choice('teamtype', 'Team Type', teamTypeOptionSet),
    col.bool('isdefault', 'Is Default', { description: 'The business unit\'s default team.' }),
  ],
});

export const transactioncurrency = defineTable({
  logicalName: 'transactioncurrency',
  entitySetName: 'transactioncurrencies',
  displayName: 'Currency',
  displayCollectionName: 'Currencies',
  primaryNameAttribute: 'currencyname',
  ownership: 'OrganizationOwned',
  objectTypeCode: 9105,
  origin: 'platform',
  columns: [
    col.text('isocurrencycode', 'Currency Code', 5, { required: 'system' }),
    col.text('currencyname', 'Currency Name', 100, { required: 'system' }),
    col.text('currencysymbol', 'Currency Symbol', 13, { required: 'system' }),
    col.decimal('exchangerate', 'Exchange Rate', { min: 0.0000000001, max: 100000000000, precision: 10, required: 'system' }),
    col.int('currencyprecision', 'Currency Precision', { min: 0, max: 4 }),
  ],
});

export const pricelevel = defineTable({
  logicalName: 'pricelevel',
  entitySetName: 'pricelevels',
  displayName: 'Price List',
  displayCollectionName: 'Price Lists',
  description: 'Work orders require one (msdyn_pricelist); the project carries the one its work orders use.',
  primaryNameAttribute: 'name',
  ownership: 'OrganizationOwned',
  objectTypeCode: 1022,
  origin: 'platform',
  states: priceLevelStates,
  columns: [
    col.text('name', 'Name', 100, { required: 'system' }),
    col.lookup('transactioncurrencyid', 'Currency', 'transactioncurrency', { required: 'system', relationshipName: 'transactioncurrency_pricelevel' }),
    col.dateTime('begindate', 'Start Date'),
    col.dateTime('enddate', 'End Date'),
    col.memo('description', 'Description', 2000),
  ],
});

// ---- webhooks: endpoints, messages, steps, images, system jobs --------------------------------------------------

export const serviceendpoint = defineTable({
  logicalName: 'serviceendpoint',
  entitySetName: 'serviceendpoints',
  displayName: 'Service Endpoint',
  displayCollectionName: 'Service Endpoints',
  description: 'A webhook is a service endpoint with contract 8; its steps say which messages post to it.',
  primaryNameAttribute: 'name',
  // Dataverse: OrganizationOwned without statecode; the state columns here are inert.
  ownership: 'OrganizationOwned',
  objectTypeCode: 4618,
  origin: 'platform',
  columns: [
    col.text('name', 'Name', 256, { required: 'system' }),
    col.choice('contract', 'Contract', serviceEndpointContractOptionSet, { required: 'system' }),
    col.text('url', 'Url Address', 2000),
    col.choice('authtype', 'Specifies mode of authentication with the endpoint', serviceEndpointAuthTypeOptionSet, { required: 'system' }),
    {
      ...col.memo('authvalue', 'Authentication Value', 4000, {
        description: 'The key (?code=), header or query-string pairs. Write-only: IsValidForRead is false, so the server never returns it.',
      }),
      notReadable: true,
    },
    col.choice('messageformat', 'Content type of the message', serviceEndpointMessageFormatOptionSet),
    col.text('namespaceaddress', 'Namespace Address', 2000),
    col.text('path', 'Path', 160),
    col.text('solutionnamespace', 'Namespace', 160),
    col.memo('description', 'Description', 2000),
  ],
});

export const sdkmessage = defineTable({
  logicalName: 'sdkmessage',
  entitySetName: 'sdkmessages',
  displayName: 'Sdk Message',
  displayCollectionName: 'Sdk Messages',
  description: 'A message (Create, UpdateMultiple…) that steps can register on.',
  primaryNameAttribute: 'name',
  // Dataverse: OrganizationOwned without statecode.
  ownership: 'OrganizationOwned',
  objectTypeCode: 4606,
  origin: 'platform',
  columns: [
    col.text('name', 'Name', 256, { required: 'system' }),
    col.text('categoryname', 'Category Name', 25),
    col.bool('isprivate', 'Is Private'),
    col.bool('isactive', 'Is Active'),
    col.bool('isvalidforexecuteasync', 'Is Valid for Execute Async'),
    col.int('availability', 'Availability', { min: 0, max: 2, description: '0 server, 1 client, 2 both.' }),
  ],
});

export const sdkmessagefilter = defineTable({
  logicalName: 'sdkmessagefilter',
  entitySetName: 'sdkmessagefilters',
  displayName: 'Sdk Message Filter',
  displayCollectionName: 'Sdk Message Filters',
  description: 'Which tables a message is available for. Clients test for bulk messages with it (bulk-operations docs).',
  primaryNameAttribute: 'name',
  ownership: 'OrganizationOwned',
  objectTypeCode: 4607,
  origin: 'platform',
  columns: [
    col.text('name', 'Name', 256),
    col.lookup('sdkmessageid', 'SDK Message', 'sdkmessage', { required: 'system', relationshipName: 'sdkmessageid_sdkmessagefilter' }),
    // An EntityName column: the table's logical name as text, so `primaryobjecttypecode eq 'msdyn_workorder'` works.
    col.text('primaryobjecttypecode', 'Primary Object Type Code', 64, { required: 'system' }),
    col.text('secondaryobjecttypecode', 'Secondary Object Type Code', 64),
    col.bool('iscustomprocessingstepallowed', 'Custom Processing Step Allowed'),
    col.bool('isvisible', 'Is Visible'),
    col.int('availability', 'Availability', { min: 0, max: 2 }),
  ],
});

export const sdkmessageprocessingstep = defineTable({
  logicalName: 'sdkmessageprocessingstep',
  entitySetName: 'sdkmessageprocessingsteps',
  displayName: 'Sdk Message Processing Step',
  displayCollectionName: 'Sdk Message Processing Steps',
  description: 'A registered step: message + table filter + stage + mode, handled by a service endpoint (webhook).',
  primaryNameAttribute: 'name',
  ownership: 'OrganizationOwned',
  objectTypeCode: 4608,
  origin: 'platform',
  states: stepStates,
  columns: [
    col.text('name', 'Name', 256, { required: 'system' }),
    col.memo('description', 'Description', 256),
    col.lookup('sdkmessageid', 'SDK Message', 'sdkmessage', { required: 'system', relationshipName: 'sdkmessageid_sdkmessageprocessingstep' }),
    col.lookup('sdkmessagefilterid', 'Sdk Message Filter', 'sdkmessagefilter', { relationshipName: 'sdkmessagefilterid_sdkmessageprocessingstep' }),
    // Polymorphic in Dataverse (plugintype | serviceendpoint); plugin types are not modelled, so only the endpoint.
    col.lookup('eventhandler', 'Event Handler', 'serviceendpoint', {
      required: 'system',
      navigationProperty: 'eventhandler_serviceendpoint',
      relationshipName: 'serviceendpoint_sdkmessageprocessingstep',
    }),
    col.lookup('impersonatinguserid', 'Impersonating User', 'systemuser', { relationshipName: 'impersonatinguserid_sdkmessageprocessingstep' }),
    col.choice('stage', 'Execution Stage', stepStageOptionSet, { required: 'system' }),
    col.choice('mode', 'Execution Mode', stepModeOptionSet, { required: 'system' }),
    col.int('rank', 'Execution Order', { min: 0, max: 2147483647, required: 'system' }),
    col.text('filteringattributes', 'Filtering Attributes', 100000, {
      description: 'Comma-separated column logical names; an Update step fires only when one of them is in the target.',
    }),
    col.bool('asyncautodelete', 'Asynchronous Automatic Delete', { description: 'Delete the system job when it succeeds.' }),
    col.choice('supporteddeployment', 'Deployment', stepDeploymentOptionSet, { required: 'system' }),
    col.memo('configuration', 'Configuration', 1073741823),
  ],
});

export const sdkmessageprocessingstepimage = defineTable({
  logicalName: 'sdkmessageprocessingstepimage',
  entitySetName: 'sdkmessageprocessingstepimages',
  displayName: 'Sdk Message Processing Step Image',
  displayCollectionName: 'Sdk Message Processing Step Images',
  description: 'A pre/post image sent with the step: Pre/PostEntityImages in the RemoteExecutionContext, keyed by entityalias.',
  primaryNameAttribute: 'name',
  ownership: 'OrganizationOwned',
  objectTypeCode: 4615,
  origin: 'platform',
  columns: [
    col.text('name', 'Name', 256),
    col.lookup('sdkmessageprocessingstepid', 'SDK Message Processing Step', 'sdkmessageprocessingstep', {
      required: 'system',
      relationshipName: 'sdkmessageprocessingstepid_sdkmessageprocessingstepimage',
      cascadeDelete: 'Cascade',
    }),
    col.choice('imagetype', 'Image Type', stepImageTypeOptionSet, { required: 'system' }),
    col.text('entityalias', 'Entity Alias', 256, { required: 'system' }),
    col.text('attributes', 'Attributes', 100000, { description: 'Comma-separated column logical names; empty means all columns.' }),
    col.text('messagepropertyname', 'Message Property Name', 256, { required: 'system', description: 'Target for Create/Update, Id for Delete.' }),
    col.memo('description', 'Description', 256),
  ],
});

export const asyncoperation = defineTable({
  logicalName: 'asyncoperation',
  entitySetName: 'asyncoperations',
  displayName: 'System Job',
  displayCollectionName: 'System Jobs',
  description: 'Asynchronous webhook steps run as system jobs; a failed post is statuscode 31 with the error in message.',
  primaryNameAttribute: 'name',
  ownership: 'UserOwned',
  objectTypeCode: 4700,
  origin: 'platform',
  states: asyncOperationStates,
  columns: [
    col.text('name', 'System Job Name', 256),
    col.choice('operationtype', 'System Job Type', asyncOperationTypeOptionSet, { required: 'system' }),
    col.memo('message', 'Message', 1073741823),
    col.memo('friendlymessage', 'Friendly message', 1073741823),
    col.memo('data', 'Data', 1073741823, { description: 'The serialized request the job executes.' }),
    col.lookup('owningextensionid', 'Owning Extension', 'sdkmessageprocessingstep', { relationshipName: 'SdkMessageProcessingStep_AsyncOperations' }),
    asyncRegarding(),
    guid('correlationid', 'Correlation Id'),
    guid('requestid', 'Request Id'),
    col.text('primaryentitytype', 'Entity Type', 64),
    col.text('messagename', 'Message Name', 256),
    col.int('depth', 'Depth', { min: 0 }),
    col.int('retrycount', 'Retry Count', { min: 0 }),
    col.int('errorcode', 'Error Code'),
    col.dateTime('startedon', 'Started On'),
    col.dateTime('completedon', 'Completed On'),
    col.dateTime('postponeuntil', 'Postpone Until', 'UserLocal', { description: 'When a waiting job is next tried.' }),
  ],
});

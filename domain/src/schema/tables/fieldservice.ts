/**
 * Field Service / Universal Resource Scheduling tables we read or write, with the columns our solution adds.
 * Column names and values: Field Service developer reference (msdyn_workorder, bookableresourcebooking,
 * bookingstatus) and CDM BookableResourceBooking / BookingStatus.
 */
import { col, defineTable } from '../build';
import {
  bookingStatusStatusOptionSet,
  bookingSystemStatusOptionSet,
  bookingTypeOptionSet,
  characteristicTypeOptionSet,
  dispatchStatusOptionSet,
  fieldStageOptionSet,
  resourceTypeOptionSet,
  workLocationOptionSet,
  workOrderSystemStatusOptionSet,
} from '../choices';

export const msdyn_workorder = defineTable({
  logicalName: 'msdyn_workorder',
  entitySetName: 'msdyn_workorders',
  displayName: 'Work Order',
  displayCollectionName: 'Work Orders',
  primaryNameAttribute: 'msdyn_name',
  ownership: 'UserOwned',
  objectTypeCode: 10010,
  origin: 'fieldservice',
  columns: [
    col.text('msdyn_name', 'Work Order Number', 100, { required: 'application' }),
    col.lookup('msdyn_serviceaccount', 'Service Account', 'account', { required: 'application' }),
    col.lookup('msdyn_billingaccount', 'Billing Account', 'account'),
    col.lookup('msdyn_workordertype', 'Work Order Type', 'msdyn_workordertype', { required: 'application' }),
    col.lookup('msdyn_pricelist', 'Price List', 'pricelevel', { required: 'application' }),
    col.choice('msdyn_systemstatus', 'System Status', workOrderSystemStatusOptionSet, { required: 'application' }),
    col.bool('msdyn_taxable', 'Taxable', { required: 'application' }),
    col.memo('msdyn_workordersummary', 'Work Order Summary', 8000),
    col.memo('msdyn_instructions', 'Instructions', 8000),
    col.dateTime('msdyn_timefrompromised', 'Time From Promised'),
    col.dateTime('msdyn_timetopromised', 'Time To Promised'),
    col.dateTime('msdyn_datewindowstart', 'Date Window Start', 'DateOnly'),
    col.dateTime('msdyn_datewindowend', 'Date Window End', 'DateOnly'),
    col.int('msdyn_totalestimatedduration', 'Total Estimated Duration', { min: 0, readOnly: true }),
    col.choice('msdyn_worklocation', 'Work Location', workLocationOptionSet),
    col.text('msdyn_address1', 'Street 1', 250),
    col.text('msdyn_city', 'City', 80),
    col.text('msdyn_stateorprovince', 'State Or Province', 50),
    col.text('msdyn_postalcode', 'Postal Code', 20),
    col.text('msdyn_country', 'Country/Region', 80),
    col.double('msdyn_latitude', 'Latitude', { min: -90, max: 90, precision: 5 }),
    col.double('msdyn_longitude', 'Longitude', { min: -180, max: 180, precision: 5 }),
    col.dateTime('msdyn_firstarrivedon', 'First Arrived On', 'UserLocal', { readOnly: true }),
    col.dateTime('msdyn_completedon', 'Completed On'),
    // Added by our solution (DESIGN §3).
    col.lookup('pfb_project', 'Project', 'msdyn_project', { addedBySolution: true }),
    col.lookup('pfb_projecttask', 'Project Task', 'msdyn_projecttask', { addedBySolution: true }),
    col.lookup('pfb_tasksync', 'Task Sync', 'pfb_tasksync', { addedBySolution: true }),
    col.text('pfb_sourcekey', 'Source Key', 100, { addedBySolution: true }),
    col.int('pfb_slotindex', 'Slot Index', { min: 0, addedBySolution: true }),
    col.decimal('pfb_plannedeffort', 'Planned Effort (h)', { min: 0, max: 1000000, precision: 2, addedBySolution: true }),
  ],
  alternateKeys: [{ schemaName: 'pfb_workorder_sourcekey', displayName: 'Source Key', columns: ['pfb_sourcekey'] }],
});

export const msdyn_resourcerequirement = defineTable({
  logicalName: 'msdyn_resourcerequirement',
  entitySetName: 'msdyn_resourcerequirements',
  displayName: 'Resource Requirement',
  displayCollectionName: 'Resource Requirements',
  primaryNameAttribute: 'msdyn_name',
  ownership: 'UserOwned',
  objectTypeCode: 10011,
  origin: 'fieldservice',
  columns: [
    col.text('msdyn_name', 'Name', 100, { required: 'system' }),
    col.lookup('msdyn_workorder', 'Work Order', 'msdyn_workorder', { cascadeDelete: 'Cascade' }),
    col.dateTime('msdyn_fromdate', 'From Date'),
    col.dateTime('msdyn_todate', 'To Date'),
    col.dateTime('msdyn_timewindowstart', 'Time Window Start'),
    col.dateTime('msdyn_timewindowend', 'Time Window End'),
    col.int('msdyn_duration', 'Duration', { min: 0 }),
    col.decimal('msdyn_effort', 'Capacity', { min: 0, max: 1000000 }),
    col.lookup('msdyn_resourcecategory', 'Resource Category', 'bookableresourcecategory'),
    col.choice('msdyn_worklocation', 'Work Location', workLocationOptionSet),
    col.double('msdyn_latitude', 'Latitude', { min: -90, max: 90, precision: 5 }),
    col.double('msdyn_longitude', 'Longitude', { min: -180, max: 180, precision: 5 }),
  ],
});

export const bookableresourcebooking = defineTable({
  logicalName: 'bookableresourcebooking',
  entitySetName: 'bookableresourcebookings',
  displayName: 'Bookable Resource Booking',
  displayCollectionName: 'Bookable Resource Bookings',
  primaryNameAttribute: 'name',
  ownership: 'UserOwned',
  objectTypeCode: 1145,
  origin: 'platform',
  columns: [
    col.text('name', 'Name', 100),
    col.dateTime('starttime', 'Start Time', 'UserLocal', { required: 'system' }),
    col.dateTime('endtime', 'End Time', 'UserLocal', { required: 'system' }),
    col.int('duration', 'Duration', { min: 0, required: 'system' }),
    { ...col.lookup('resource', 'Resource', 'bookableresource', { required: 'system', cascadeDelete: 'Cascade' }), schemaName: 'Resource' },
    { ...col.lookup('bookingstatus', 'Booking Status', 'bookingstatus', { required: 'system' }), schemaName: 'BookingStatus' },
    col.choice('bookingtype', 'Booking Type', bookingTypeOptionSet, { required: 'system' }),
    col.lookup('msdyn_workorder', 'Work Order', 'msdyn_workorder', { cascadeDelete: 'Cascade' }),
    col.lookup('msdyn_resourcerequirement', 'Resource Requirement', 'msdyn_resourcerequirement'),
    col.dateTime('msdyn_actualarrivaltime', 'Actual Arrival Time'),
    col.int('msdyn_actualtravelduration', 'Actual Travel Duration', { min: 0 }),
    col.int('msdyn_estimatedtravelduration', 'Estimated Travel Duration', { min: 0 }),
    col.int('msdyn_totalbillableduration', 'Total Billable Duration', { min: 0 }),
    col.int('msdyn_totalbreakduration', 'Total Break Duration', { min: 0 }),
    col.choice('msdyn_worklocation', 'Work Location', workLocationOptionSet),
    // Added by our solution (DESIGN §3).
    col.choice('pfb_fieldstage', 'Field Stage', fieldStageOptionSet, { addedBySolution: true }),
    col.dateTime('pfb_fieldstageon', 'Field Stage On', 'UserLocal', { addedBySolution: true }),
    col.text('pfb_mobilityref', 'Mobility Reference', 200, { addedBySolution: true }),
    col.choice('pfb_dispatchstatus', 'Dispatch Status', dispatchStatusOptionSet, { addedBySolution: true }),
    col.dateTime('pfb_lastdispatchedon', 'Last Dispatched On', 'UserLocal', { addedBySolution: true }),
    col.dateTime('pfb_actualstart', 'Actual Start', 'UserLocal', { addedBySolution: true }),
    col.dateTime('pfb_actualend', 'Actual End', 'UserLocal', { addedBySolution: true }),
    col.decimal('pfb_actualeffort', 'Actual Effort (h)', { min: 0, max: 1000000, precision: 2, addedBySolution: true }),
    col.memo('pfb_incompletereason', 'Incomplete Reason', 2000, { addedBySolution: true }),
    col.int('pfb_fieldsequence', 'Field Sequence', { min: 0, addedBySolution: true }),
  ],
});

export const bookingstatus = defineTable({
  logicalName: 'bookingstatus',
  entitySetName: 'bookingstatuses',
  displayName: 'Booking Status',
  displayCollectionName: 'Booking Statuses',
  primaryNameAttribute: 'name',
  ownership: 'OrganizationOwned',
  // 1152 (1150 is bookableresource).
  objectTypeCode: 1152,
  origin: 'platform',
  columns: [
    col.text('name', 'Name', 100, { required: 'system' }),
    col.choice('status', 'Status', bookingStatusStatusOptionSet, { required: 'system' }),
    col.choice('msdyn_fieldservicestatus', 'Field Service Status', bookingSystemStatusOptionSet),
    col.bool('msdyn_statuscompletesworkorder', 'Status Completes Work Order'),
    col.text('msdyn_imageurl', 'Image URL', 200),
    col.memo('description', 'Description', 2000),
    // The field stage this status represents, so the bridge can find its statuses idempotently.
    col.choice('pfb_fieldstage', 'Field Stage', fieldStageOptionSet, { addedBySolution: true }),
  ],
});

// ---- resources, roles and skills (Universal Resource Scheduling) -------------------------------------------------
// Lookups here use Dataverse's PascalCase schema names (Resource, ResourceCategory…) because those are the
// navigation property names clients bind to; relationship names follow the platform's `<target>_<table>_<SchemaName>`.

export const bookableresource = defineTable({
  logicalName: 'bookableresource',
  entitySetName: 'bookableresources',
  displayName: 'Bookable Resource',
  displayCollectionName: 'Bookable Resources',
  description: 'A named technician (user or contact) that dispatchers book.',
  primaryNameAttribute: 'name',
  ownership: 'UserOwned',
  objectTypeCode: 1150,
  origin: 'platform',
  columns: [
    col.text('name', 'Name', 100, { required: 'system' }),
    col.choice('resourcetype', 'Resource Type', resourceTypeOptionSet, { required: 'system' }),
    col.lookup('userid', 'User', 'systemuser', { schemaName: 'UserId', relationshipName: 'systemuser_bookableresource_UserId' }),
    col.lookup('contactid', 'Contact', 'contact', { schemaName: 'ContactId', relationshipName: 'contact_bookableresource_ContactId' }),
    col.lookup('accountid', 'Account', 'account', { schemaName: 'AccountId', relationshipName: 'account_bookableresource_AccountId' }),
    col.int('timezone', 'Time Zone', { min: -1500, max: 1500, description: 'Dataverse time zone code, e.g. 255 AUS Eastern, 85 GMT (London).' }),
    // Added by our solution: the technician's user id in the mobility app, where bookings are dispatched.
    col.text('pfb_mobilityuserid', 'Mobility User Id', 100, { addedBySolution: true }),
  ],
});

export const characteristic = defineTable({
  logicalName: 'characteristic',
  entitySetName: 'characteristics',
  displayName: 'Characteristic',
  displayCollectionName: 'Characteristics',
  description: 'A skill or certification a requirement can ask for and a resource can hold.',
  primaryNameAttribute: 'name',
  ownership: 'UserOwned',
  objectTypeCode: 1141,
  origin: 'platform',
  columns: [
    col.text('name', 'Name', 100, { required: 'system' }),
    col.choice('characteristictype', 'Characteristic Type', characteristicTypeOptionSet),
    col.memo('description', 'Description', 2000),
  ],
});

export const msdyn_workordertype = defineTable({
  logicalName: 'msdyn_workordertype',
  entitySetName: 'msdyn_workordertypes',
  displayName: 'Work Order Type',
  displayCollectionName: 'Work Order Types',
  primaryNameAttribute: 'msdyn_name',
  ownership: 'OrganizationOwned',
  objectTypeCode: 10012,
  origin: 'fieldservice',
  columns: [
    col.text('msdyn_name', 'Name', 100, { required: 'system' }),
    col.lookup('msdyn_pricelist', 'Price List', 'pricelevel'),
    col.bool('msdyn_incidentrequired', 'Incident Required'),
    col.bool('msdyn_taxable', 'Taxable'),
  ],
});

export const bookableresourcecategory = defineTable({
  logicalName: 'bookableresourcecategory',
  entitySetName: 'bookableresourcecategories',
  displayName: 'Bookable Resource Category',
  displayCollectionName: 'Bookable Resource Categories',
  description: 'A role. Generic project team members carry one; our solution maps it to a work order type and a characteristic.',
  primaryNameAttribute: 'name',
  ownership: 'UserOwned',
  objectTypeCode: 1147,
  origin: 'platform',
  columns: [
    col.text('name', 'Name', 100, { required: 'system' }),
    col.memo('description', 'Description', 2000),
    // Added by our solution: validation refuses a task whose role has no mapping (DESIGN §4).
    col.lookup('pfb_workordertype', 'Work Order Type', 'msdyn_workordertype', { addedBySolution: true }),
    col.lookup('pfb_characteristic', 'Required Characteristic', 'characteristic', { addedBySolution: true }),
  ],
});

export const bookableresourcecategoryassn = defineTable({
  logicalName: 'bookableresourcecategoryassn',
  entitySetName: 'bookableresourcecategoryassns',
  displayName: 'Bookable Resource Category Assn',
  displayCollectionName: 'Bookable Resource Category Assns',
  description: 'Which roles a named resource can fill.',
  primaryNameAttribute: 'name',
  ownership: 'UserOwned',
  objectTypeCode: 1149,
  origin: 'platform',
  columns: [
    col.text('name', 'Name', 100),
    col.lookup('resource', 'Resource', 'bookableresource', {
      schemaName: 'Resource',
      required: 'system',
      cascadeDelete: 'Cascade',
      relationshipName: 'bookableresource_bookableresourcecategoryassn_Resource',
    }),
    col.lookup('resourcecategory', 'Resource Category', 'bookableresourcecategory', {
      schemaName: 'ResourceCategory',
      required: 'system',
      cascadeDelete: 'Cascade',
      relationshipName: 'bookableresourcecategory_bookableresourcecategoryassn_ResourceCategory',
    }),
  ],
});

export const bookableresourcecharacteristic = defineTable({
  logicalName: 'bookableresourcecharacteristic',
  entitySetName: 'bookableresourcecharacteristics',
  displayName: 'Bookable Resource Characteristic',
  displayCollectionName: 'Bookable Resource Characteristics',
  description: 'A skill or certification a named resource holds.',
  primaryNameAttribute: 'name',
  ownership: 'UserOwned',
  objectTypeCode: 1148,
  origin: 'platform',
  columns: [
    col.text('name', 'Name', 100),
    col.lookup('resource', 'Resource', 'bookableresource', {
      schemaName: 'Resource',
      required: 'system',
      cascadeDelete: 'Cascade',
      relationshipName: 'bookableresource_bookableresourcecharacteristic_Resource',
    }),
    col.lookup('characteristic', 'Characteristic', 'characteristic', {
      schemaName: 'Characteristic',
      required: 'system',
      cascadeDelete: 'Cascade',
      relationshipName: 'characteristic_bookableresourcecharacteristic_Characteristic',
    }),
  ],
});

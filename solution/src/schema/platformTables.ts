/**
 * Dataverse's solution-framework tables: what an ImportSolution writes besides metadata (the solution and its
 * publisher, components, import jobs, web resources, code components, environment variables, security roles and
 * their privileges) and what the setup command reads and writes. The domain schema module does not model them
 * because the product's runtime never touches them; they extend it here, declared the same way, so the local
 * Dataverse, the packer and the setup command share one set of names.
 *
 * Names and columns: the Dataverse table reference pages (webresource, customcontrol, solution, publisher,
 * solutioncomponent, environmentvariabledefinition, environmentvariablevalue, role, privilege, roleprivileges,
 * importjob). ObjectTypeCodes are the platform's where known; none of our code depends on them.
 */
import { buildSchema, col, defineTable, optionSet, schema as domainSchema, type SchemaModel, type TableDef } from '@pfb/domain';

/** webresource.webresourcetype ("Web resource table reference"). */
export const webResourceTypeOptionSet = optionSet('webresource_webresourcetype', [
  { value: 1, label: 'Webpage (HTML)' },
  { value: 2, label: 'Style Sheet (CSS)' },
  { value: 3, label: 'Script (JScript)' },
  { value: 4, label: 'Data (XML)' },
  { value: 5, label: 'PNG format' },
  { value: 6, label: 'JPG format' },
  { value: 7, label: 'GIF format' },
  { value: 8, label: 'Silverlight (XAP)' },
  { value: 9, label: 'Style Sheet (XSL)' },
  { value: 10, label: 'ICO format' },
  { value: 11, label: 'Vector format (SVG)' },
  { value: 12, label: 'String (RESX)' },
]);
export const WebResourceType = {
  Html: 1,
  Css: 2,
  JScript: 3,
  Xml: 4,
  Png: 5,
  Jpg: 6,
  Gif: 7,
  Xap: 8,
  Xsl: 9,
  Ico: 10,
  Svg: 11,
  Resx: 12,
} as const;

/** environmentvariabledefinition.type: 100000000 String … 100000005 Secret (environment variable docs). */
export const environmentVariableTypeOptionSet = optionSet('environmentvariabledefinition_type', [
  { value: 100000000, label: 'String' },
  { value: 100000001, label: 'Number' },
  { value: 100000002, label: 'Boolean' },
  { value: 100000003, label: 'JSON' },
  { value: 100000004, label: 'Data source' },
  { value: 100000005, label: 'Secret' },
]);
export const EnvironmentVariableType = { String: 100000000, Number: 100000001, Boolean: 100000002, Json: 100000003, DataSource: 100000004, Secret: 100000005 } as const;

/** solutioncomponent.componenttype: the component types this package carries ("SolutionComponent table reference"). */
export const componentTypeOptionSet = optionSet('solutioncomponent_componenttype', [
  { value: 1, label: 'Entity' },
  { value: 2, label: 'Attribute' },
  { value: 9, label: 'Option Set' },
  { value: 10, label: 'Entity Relationship' },
  { value: 14, label: 'Entity Key' },
  { value: 20, label: 'Role' },
  { value: 61, label: 'Web Resource' },
  { value: 66, label: 'Custom Control' },
  { value: 92, label: 'SDK Message Processing Step' },
  { value: 95, label: 'Service Endpoint' },
  { value: 380, label: 'Environment Variable Definition' },
]);
export const ComponentType = {
  Entity: 1,
  Attribute: 2,
  OptionSet: 9,
  EntityRelationship: 10,
  EntityKey: 14,
  Role: 20,
  WebResource: 61,
  CustomControl: 66,
  SdkMessageProcessingStep: 92,
  ServiceEndpoint: 95,
  EnvironmentVariableDefinition: 380,
} as const;

/** roleprivileges.privilegedepthmask: Basic 1 (user), Local 2 (business unit), Deep 4 (parent: child BUs), Global 8 (organization). */
export const PrivilegeDepth = { Basic: 1, Local: 2, Deep: 4, Global: 8 } as const;
export type PrivilegeLevel = keyof typeof PrivilegeDepth;

export const publisher = defineTable({
  logicalName: 'publisher',
  entitySetName: 'publishers',
  displayName: 'Publisher',
  displayCollectionName: 'Publishers',
  description: 'A publisher of a solution: its customization prefix and option value prefix.',
  primaryNameAttribute: 'friendlyname',
  ownership: 'OrganizationOwned',
  objectTypeCode: 7101,
  origin: 'platform',
  columns: [
    col.text('uniquename', 'Name', 256, { required: 'system' }),
    col.text('friendlyname', 'Display Name', 256),
    col.text('customizationprefix', 'Prefix', 8),
    col.int('customizationoptionvalueprefix', 'Option Value Prefix', { min: 10000, max: 99999 }),
    col.memo('description', 'Description', 2000),
  ],
});

export const solution = defineTable({
  logicalName: 'solution',
  entitySetName: 'solutions',
  displayName: 'Solution',
  displayCollectionName: 'Solutions',
  description: 'An imported (or the default) solution: unique name, version, managed or not.',
  primaryNameAttribute: 'friendlyname',
  ownership: 'OrganizationOwned',
  objectTypeCode: 7100,
  origin: 'platform',
  columns: [
    col.text('uniquename', 'Name', 65, { required: 'system' }),
    col.text('friendlyname', 'Display Name', 256),
    col.text('version', 'Version', 256, { required: 'system' }),
    col.bool('ismanaged', 'Package Type'),
    col.bool('isvisible', 'Is Visible Outside Platform'),
    col.lookup('publisherid', 'Publisher', 'publisher', { relationshipName: 'publisher_solution' }),
    col.dateTime('installedon', 'Installed On'),
    col.memo('description', 'Description', 2000),
  ],
});

export const solutioncomponent = defineTable({
  logicalName: 'solutioncomponent',
  entitySetName: 'solutioncomponents',
  displayName: 'Solution Component',
  displayCollectionName: 'Solution Components',
  description: 'One component of a solution: its type and the id of the component row or metadata.',
  primaryNameAttribute: 'solutioncomponentid',
  ownership: 'None',
  objectTypeCode: 7103,
  origin: 'platform',
  columns: [
    col.lookup('solutionid', 'Solution', 'solution', { required: 'system', relationshipName: 'solution_solutioncomponent', cascadeDelete: 'Cascade' }),
    col.choice('componenttype', 'Object Type Code', componentTypeOptionSet, { required: 'system' }),
    { ...col.text('objectid', 'Regarding', 256, { required: 'system' }), description: 'The component: a row id, or a metadata name where the sandbox keeps metadata by name.' },
    col.int('rootcomponentbehavior', 'Root Component Behavior', { min: 0, max: 2 }),
    col.bool('ismetadata', 'Is this component metadata'),
  ],
});

export const importjob = defineTable({
  logicalName: 'importjob',
  entitySetName: 'importjobs',
  displayName: 'Import Job',
  displayCollectionName: 'Import Jobs',
  description: 'One ImportSolution: its solution, progress and the import log (data).',
  primaryNameAttribute: 'name',
  ownership: 'OrganizationOwned',
  objectTypeCode: 9107,
  origin: 'platform',
  columns: [
    col.text('name', 'Import Job Name', 256),
    col.text('solutionname', 'Solution Name', 256),
    col.text('solutionid', 'Solution Id', 36),
    col.memo('data', 'Data', 1073741823),
    col.double('progress', 'Progress', { min: 0, max: 100, precision: 2 }),
    col.dateTime('startedon', 'Started On'),
    col.dateTime('completedon', 'Completed On'),
    col.text('importcontext', 'Import Context', 110),
    col.text('operationcontext', 'Operation Context', 110),
  ],
});

export const webresource = defineTable({
  logicalName: 'webresource',
  entitySetName: 'webresourceset',
  displayName: 'Web Resource',
  displayCollectionName: 'Web Resources',
  description: 'A file (script, page, image, RESX…) served by the organization at /WebResources/<name>; content is base64.',
  primaryNameAttribute: 'name',
  ownership: 'OrganizationOwned',
  objectTypeCode: 9333,
  origin: 'platform',
  columns: [
    col.text('name', 'Name', 256, { required: 'system' }),
    col.text('displayname', 'Display Name', 200),
    col.memo('description', 'Description', 2000),
    col.choice('webresourcetype', 'Type', webResourceTypeOptionSet, { required: 'system' }),
    col.memo('content', 'Content', 1073741823),
    col.int('languagecode', 'Language', { min: 0, max: 10000 }),
    col.memo('dependencyxml', 'Dependency XML', 1073741823),
    col.bool('ismanaged', 'State', { readOnly: true }),
    col.bool('isenabledformobileclient', 'Enabled for mobile client'),
  ],
});

export const customcontrol = defineTable({
  logicalName: 'customcontrol',
  entitySetName: 'customcontrols',
  displayName: 'Custom Control',
  displayCollectionName: 'Custom Controls',
  description: 'A code component (PCF): its compiled manifest; its bundle and strings are web resources named cc_<name>/….',
  primaryNameAttribute: 'name',
  ownership: 'OrganizationOwned',
  objectTypeCode: 9753,
  origin: 'platform',
  columns: [
    col.text('name', 'Name', 100, { required: 'system' }),
    col.memo('manifest', 'Manifest', 1073741823),
    col.memo('compatibledatatypes', 'Compatible Data Types', 1073741823),
    col.text('version', 'Version', 100),
    col.memo('clientjson', 'Client JSON', 1073741823),
  ],
});

export const environmentvariabledefinition = defineTable({
  logicalName: 'environmentvariabledefinition',
  entitySetName: 'environmentvariabledefinitions',
  displayName: 'Environment Variable Definition',
  displayCollectionName: 'Environment Variable Definitions',
  description: 'A setting that travels with the solution; its value per environment is an environmentvariablevalue row.',
  primaryNameAttribute: 'schemaname',
  ownership: 'UserOwned',
  objectTypeCode: 380,
  origin: 'platform',
  columns: [
    col.text('schemaname', 'Schema Name', 100, { required: 'system' }),
    col.text('displayname', 'Display Name', 100, { required: 'system' }),
    col.memo('description', 'Description', 2000),
    col.choice('type', 'Type', environmentVariableTypeOptionSet, { required: 'system' }),
    col.memo('defaultvalue', 'Default Value', 2000),
    col.bool('isrequired', 'Is Required'),
    col.text('introducedversion', 'Introduced Version', 48),
  ],
});

export const environmentvariablevalue = defineTable({
  logicalName: 'environmentvariablevalue',
  entitySetName: 'environmentvariablevalues',
  displayName: 'Environment Variable Value',
  displayCollectionName: 'Environment Variable Values',
  description: 'The value of an environment variable in this environment (overrides the definition\'s default).',
  primaryNameAttribute: 'schemaname',
  ownership: 'UserOwned',
  objectTypeCode: 381,
  origin: 'platform',
  columns: [
    col.text('schemaname', 'Schema Name', 100, { required: 'system' }),
    col.memo('value', 'Value', 2000),
    col.lookup('environmentvariabledefinitionid', 'Environment Variable Definition', 'environmentvariabledefinition', {
      schemaName: 'EnvironmentVariableDefinitionId',
      relationshipName: 'environmentvariabledefinition_environmentvariablevalue',
      cascadeDelete: 'Cascade',
    }),
  ],
});

export const role = defineTable({
  logicalName: 'role',
  entitySetName: 'roles',
  displayName: 'Security Role',
  displayCollectionName: 'Security Roles',
  description: 'A security role: a set of privileges at a depth. Imported roles belong to the root business unit.',
  primaryNameAttribute: 'name',
  ownership: 'OrganizationOwned',
  objectTypeCode: 1036,
  origin: 'platform',
  columns: [
    col.text('name', 'Name', 100, { required: 'system' }),
    col.lookup('businessunitid', 'Business Unit', 'businessunit', { required: 'system', relationshipName: 'business_unit_roles' }),
    col.memo('description', 'Description', 2000),
  ],
});

export const privilege = defineTable({
  logicalName: 'privilege',
  entitySetName: 'privileges',
  displayName: 'Privilege',
  displayCollectionName: 'Privileges',
  description: 'A permission (prvCreate<Table>, prvRead<Table>…) the platform creates with each table.',
  primaryNameAttribute: 'name',
  ownership: 'None',
  objectTypeCode: 1023,
  origin: 'platform',
  columns: [
    col.text('name', 'Name', 100, { required: 'system' }),
    col.int('accessright', 'Access Rights', { min: 0 }),
    col.bool('canbebasic', 'Can Be Basic'),
    col.bool('canbelocal', 'Can Be Local'),
    col.bool('canbedeep', 'Can Be Deep'),
    col.bool('canbeglobal', 'Can Be Global'),
  ],
});

export const roleprivileges = defineTable({
  logicalName: 'roleprivileges',
  entitySetName: 'roleprivilegescollection',
  displayName: 'Role Privilege',
  displayCollectionName: 'Role Privileges',
  description: 'A privilege granted to a role at a depth (privilegedepthmask: 1 Basic, 2 Local, 4 Deep, 8 Global).',
  primaryNameAttribute: 'roleprivilegeid',
  primaryIdAttribute: 'roleprivilegeid',
  ownership: 'None',
  objectTypeCode: 12,
  origin: 'platform',
  columns: [
    col.lookup('roleid', 'Role', 'role', { required: 'system', relationshipName: 'role_roleprivileges', cascadeDelete: 'Cascade' }),
    col.lookup('privilegeid', 'Privilege', 'privilege', { required: 'system', relationshipName: 'privilege_roleprivileges', cascadeDelete: 'Cascade' }),
    col.int('privilegedepthmask', 'Privilege Depth', { min: 1, max: 15, required: 'system' }),
  ],
});

/** The solution framework's tables, in the order an import writes them. */
export const solutionFrameworkTables: readonly TableDef[] = [
  publisher,
  solution,
  solutioncomponent,
  importjob,
  webresource,
  customcontrol,
  environmentvariabledefinition,
  environmentvariablevalue,
  role,
  privilege,
  roleprivileges,
];

/** The domain schema with the solution framework: what a full Dataverse organization offers the packer and setup. */
export const organizationSchema: SchemaModel = buildSchema([...domainSchema.tables, ...solutionFrameworkTables]);

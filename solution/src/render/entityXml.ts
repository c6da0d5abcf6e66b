/**
 * Entities/<SchemaName>/Entity.xml and OptionSets/<name>.xml: tables, columns, keys and choices, written from the
 * schema module in the shape Dataverse exports (CustomizationsSolution.xsd: EntitiesType, EntityInfoType,
 * optionsettype). Elements the 9.0 schema does not know (AutoNumberFormat, IsSearchable…) are left out.
 */
import type { AlternateKeyDef, ColumnDef, OptionSetDef, TableDef } from '@pfb/domain';
import type { TableComponent } from '../definition/tables';
import { tableSchemaName } from '../schema/platformNames';
import { OPTION_SET_LABELS } from '../schema/optionSetLabels';
import { ATTRIBUTE_TYPE, DATETIME_BEHAVIOR, OWNERSHIP_MASK, PRIMARY_KEY_TYPE, REQUIRED_LEVEL } from './attributeCodec';
import { bit, LANGUAGE, labelList, serialize, textElement, textElements, xmlDocument, XSI, type XmlNode } from './xml';

const lang = String(LANGUAGE);

function displayMask(table: TableDef, column: ColumnDef): string {
  if (column.logicalName === table.primaryIdAttribute) return 'ValidForAdvancedFind|RequiredForGrid';
  if (column.logicalName === table.primaryNameAttribute) return 'PrimaryName|ValidForAdvancedFind|ValidForForm|ValidForGrid|RequiredForForm';
  return 'ValidForAdvancedFind|ValidForForm|ValidForGrid';
}

function options(parent: XmlNode, os: OptionSetDef): void {
  const list = parent.ele('options');
  for (const o of os.options) list.ele('option', { value: String(o.value) }).ele('labels').ele('label', { description: o.label, languagecode: lang });
}

/** An inline (local) option set inside an attribute: picklist, state, status or bit. */
function inlineOptionSet(parent: XmlNode, table: TableDef, column: ColumnDef, version: string): void {
  const kind = column.type === 'boolean' ? 'bit' : column.type === 'state' ? 'state' : column.type === 'status' ? 'status' : 'picklist';
  const os = parent.ele('optionset', { Name: column.optionSet?.name ?? `${table.logicalName}_${column.logicalName}` });
  textElements(os, [
    ['OptionSetType', kind],
    ['IntroducedVersion', version],
    ['IsCustomizable', '1'],
  ]);
  labelList(os, 'displaynames', 'displayname', column.displayName);
  labelList(os, 'Descriptions', 'Description', column.description ?? '');
  if (kind === 'bit') {
    const list = os.ele('options');
    list.ele('option', { value: '1' }).ele('labels').ele('label', { description: 'Yes', languagecode: lang });
    list.ele('option', { value: '0' }).ele('labels').ele('label', { description: 'No', languagecode: lang });
    return;
  }
  const set = column.optionSet;
  if (!set) throw new Error(`Schema: ${table.logicalName}.${column.logicalName} is a ${column.type} column without options`);
  if (kind === 'picklist') {
    options(os, set);
  } else if (kind === 'state') {
    // Each state's default status reason is the first status reason of that state (statuscode's options).
    const statuses = Object.values(table.columns).find((c) => c.type === 'status')?.optionSet?.options ?? [];
    const states = os.ele('states');
    for (const s of set.options) {
      const defaultStatus = statuses.find((st) => (st as { state?: number }).state === s.value)?.value ?? s.value + 1;
      states
        .ele('state', { value: String(s.value), defaultstatus: String(defaultStatus), invariantname: s.label.replace(/\s+/g, '') })
        .ele('labels')
        .ele('label', { description: s.label, languagecode: lang });
    }
  } else {
    const statuses = os.ele('statuses');
    for (const s of set.options) {
      statuses
        .ele('status', { value: String(s.value), state: String((s as { state?: number }).state ?? 0) })
        .ele('labels')
        .ele('label', { description: s.label, languagecode: lang });
    }
  }
}

function attribute(parent: XmlNode, table: TableDef, column: ColumnDef, version: string, custom: boolean): void {
  const isKey = column.logicalName === table.primaryIdAttribute;
  const a = parent.ele('attribute', { PhysicalName: column.schemaName });
  const validForCreate = !column.readOnly;
  const validForUpdate = !column.readOnly && !column.createOnly && !isKey;
  textElements(a, [
    ['Type', isKey ? PRIMARY_KEY_TYPE : ATTRIBUTE_TYPE[column.type]],
    ['Name', column.logicalName],
    ['LogicalName', column.logicalName],
    ['RequiredLevel', REQUIRED_LEVEL[column.required]],
    ['DisplayMask', displayMask(table, column)],
    ['ImeMode', column.type === 'datetime' ? 'inactive' : 'auto'],
    ['ValidForUpdateApi', bit(validForUpdate)],
    ['ValidForReadApi', bit(!column.notReadable)],
    ['ValidForCreateApi', bit(validForCreate)],
    ['IsCustomField', bit(custom)],
    ['IsAuditEnabled', bit(custom)],
    ['IsSecured', '0'],
    ['IntroducedVersion', version],
    ['IsCustomizable', '1'],
    ['IsRenameable', '1'],
    ['CanModifySearchSettings', '1'],
    ['CanModifyRequirementLevelSettings', bit(!isKey)],
    ['CanModifyAdditionalSettings', '1'],
    ['SourceType', '0'],
    ['IsGlobalFilterEnabled', '0'],
    ['IsSortableEnabled', '0'],
    ['CanModifyGlobalFilterSettings', '1'],
    ['CanModifyIsSortableSettings', '1'],
    ['IsDataSourceSecret', '0'],
  ]);
  switch (column.type) {
    case 'string':
    case 'memo':
      textElement(a, 'Format', column.type === 'memo' ? 'textarea' : 'text');
      if (column.maxLength !== undefined) {
        textElement(a, 'MaxLength', column.maxLength);
        // Length is the storage size in bytes: two per character (nvarchar).
        textElement(a, 'Length', column.maxLength * 2);
      }
      break;
    case 'integer':
    case 'bigint':
    case 'decimal':
    case 'double':
    case 'money':
      if (column.minValue !== undefined) textElement(a, 'MinValue', column.minValue);
      if (column.maxValue !== undefined) textElement(a, 'MaxValue', column.maxValue);
      if (column.precision !== undefined && column.type !== 'integer' && column.type !== 'bigint') textElement(a, 'Accuracy', column.precision);
      break;
    case 'datetime': {
      const behavior = column.dateTimeBehavior ?? 'UserLocal';
      textElement(a, 'Format', behavior === 'DateOnly' ? 'date' : 'datetime');
      textElement(a, 'CanChangeDateTimeBehavior', bit(custom));
      textElement(a, 'Behavior', DATETIME_BEHAVIOR[behavior]);
      break;
    }
    case 'picklist':
      if (column.optionSet?.global) textElement(a, 'OptionSetName', column.optionSet.name);
      else inlineOptionSet(a, table, column, version);
      break;
    case 'state':
    case 'status':
      inlineOptionSet(a, table, column, version);
      break;
    case 'boolean':
      inlineOptionSet(a, table, column, version);
      textElement(a, 'AppDefaultValue', 0);
      break;
    case 'lookup':
    case 'owner':
    case 'customer':
      textElement(a, 'LookupStyle', 'single');
      a.ele('LookupTypes');
      break;
    default:
      break;
  }
  labelList(a, 'displaynames', 'displayname', column.displayName);
  labelList(a, 'Descriptions', 'Description', column.description ?? '');
}

function entityKeys(parent: XmlNode, keys: readonly AlternateKeyDef[], version: string): void {
  if (keys.length === 0) return;
  const list = parent.ele('EntityKeys');
  for (const k of keys) {
    const key = list.ele('EntityKey');
    textElements(key, [
      ['Name', k.schemaName],
      ['LogicalName', k.schemaName.toLowerCase()],
      ['IntroducedVersion', version],
      ['IsCustomizable', '1'],
    ]);
    labelList(key, 'displaynames', 'displayname', k.displayName);
    const attrs = key.ele('EntityKeyAttributes');
    for (const c of k.columns) textElement(attrs, 'AttributeName', c);
  }
}

/** Entities/<SchemaName>/Entity.xml of one table component. */
export function renderEntity(component: TableComponent, version: string): string {
  const { table, owned } = component;
  const schemaName = tableSchemaName(table);
  const root = xmlDocument('Entity', { 'xmlns:xsi': XSI });
  root.ele('Name', { LocalizedName: table.displayName, OriginalName: table.displayName }).txt(schemaName);
  const entity = root.ele('EntityInfo').ele('entity', owned ? { Name: schemaName } : { Name: schemaName, unmodified: '1' });
  labelList(entity, 'LocalizedNames', 'LocalizedName', table.displayName);
  labelList(entity, 'LocalizedCollectionNames', 'LocalizedCollectionName', table.displayCollectionName);
  labelList(entity, 'Descriptions', 'Description', table.description ?? '');
  const attributes = entity.ele('attributes');
  // Custom fields: every column we add; on our own tables the ones we declare (the platform adds the rest, the key included).
  for (const c of component.columns) attribute(attributes, table, c, version, owned ? c.logicalName.startsWith('pfb_') && c.logicalName !== table.primaryIdAttribute : true);
  if (owned) {
    textElements(entity, [
      ['EntitySetName', table.entitySetName],
      ['IsDuplicateCheckSupported', '0'],
      ['IsBusinessProcessEnabled', '0'],
      ['IsRequiredOffline', '0'],
      ['IsCollaboration', '0'],
      ['AutoRouteToOwnerQueue', '0'],
      ['IsConnectionsEnabled', '0'],
      ['IsDocumentManagementEnabled', '0'],
      ['AutoCreateAccessTeams', '0'],
      ['OwnershipTypeMask', OWNERSHIP_MASK[table.ownership]],
      ['IsAuditEnabled', '1'],
      ['IsActivity', '0'],
      ['IsActivityParty', '0'],
      ['IsReplicated', '0'],
      ['IsReplicationUserFiltered', '0'],
      ['IsMailMergeEnabled', '0'],
      ['IsVisibleInMobile', '0'],
      ['IsVisibleInMobileClient', '1'],
      ['IsReadOnlyInMobileClient', '1'],
      ['IsOfflineInMobileClient', '0'],
      ['DaysSinceRecordLastModified', '0'],
      ['IsMapiGridEnabled', '1'],
      ['IsReadingPaneEnabled', '1'],
      ['IsQuickCreateEnabled', '0'],
      ['IntroducedVersion', version],
      ['IsCustomizable', '1'],
      ['IsRenameable', '1'],
      ['IsMappable', '1'],
      ['CanModifyAuditSettings', '1'],
      ['CanModifyMobileVisibility', '1'],
      ['CanModifyMobileClientVisibility', '1'],
      ['CanModifyMobileClientReadOnly', '1'],
      ['CanModifyMobileClientOffline', '1'],
      ['CanModifyConnectionSettings', '1'],
      ['CanModifyDuplicateDetectionSettings', '1'],
      ['CanModifyMailMergeSettings', '1'],
      ['CanModifyQueueSettings', '1'],
      ['CanCreateAttributes', '1'],
      ['CanCreateForms', '1'],
      ['CanCreateCharts', '1'],
      ['CanCreateViews', '1'],
      ['CanModifyAdditionalSettings', '1'],
      ['CanEnableSyncToExternalSearchIndex', '1'],
      ['EnforceStateTransitions', '0'],
      ['CanChangeHierarchicalRelationship', '1'],
      ['EntityHelpUrlEnabled', '0'],
      ['ChangeTrackingEnabled', '1'],
      ['CanChangeTrackingBeEnabled', '1'],
      ['IsEnabledForExternalChannels', '0'],
    ]);
  }
  entityKeys(entity, component.keys, version);
  return serialize(root);
}

/** OptionSets/<name>.xml: a global choice. */
export function renderGlobalOptionSet(os: OptionSetDef, version: string): string {
  const label = OPTION_SET_LABELS[os.name];
  if (!label) throw new Error(`Global choice ${os.name} has no display name: add it to solution/src/schema/optionSetLabels.ts`);
  const root = xmlDocument('optionset', { Name: os.name, localizedName: label.displayName, description: label.description, 'xmlns:xsi': XSI });
  textElements(root, [
    ['OptionSetType', 'picklist'],
    ['IsGlobal', '1'],
    ['IntroducedVersion', version],
    ['IsCustomizable', '1'],
  ]);
  labelList(root, 'displaynames', 'displayname', label.displayName);
  labelList(root, 'Descriptions', 'Description', label.description);
  options(root, os);
  return serialize(root);
}

/** The empty entity ribbon a table without ribbon customizations exports (dataverse-facts §6.3). */
export function renderEmptyRibbonDiff(): string {
  const root = xmlDocument('RibbonDiffXml', { 'xmlns:xsi': XSI });
  root.ele('CustomActions');
  root.ele('Templates').ele('RibbonTemplates', { Id: 'Mscrm.Templates' });
  root.ele('CommandDefinitions');
  const rules = root.ele('RuleDefinitions');
  rules.ele('TabDisplayRules');
  rules.ele('DisplayRules');
  rules.ele('EnableRules');
  root.ele('LocLabels');
  return serialize(root);
}

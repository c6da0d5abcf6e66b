/**
 * solution.xml (the manifest: identity, publisher, root components), the customizations.xml skeleton, and the
 * package's [Content_Types].xml — in the shape of the exports in ../shared/reference/dataverse-exports.
 */
import type { SolutionManifest } from '../definition/manifest';
import { LANGUAGE, labelList, serialize, textElement, textElements, xmlDocument, XSI, type XmlNode } from './xml';

/** solution.xml `<Managed>`: 0 unmanaged, 1 managed, 2 both (the unpacked source, packed either way). */
export type ManagedFlag = 0 | 1 | 2;

export interface RootComponent {
  readonly type: number;
  readonly schemaName?: string;
  readonly id?: string;
  /** 0 include subcomponents, 2 do not include subcomponents (an existing table with selected columns). */
  readonly behavior: 0 | 1 | 2;
}

const nil = (parent: XmlNode, name: string): void => {
  parent.ele(name, { 'xsi:nil': 'true' });
};

const ADDRESS_FIELDS = [
  'City',
  'County',
  'Country',
  'Fax',
  'FreightTermsCode',
  'ImportSequenceNumber',
  'Latitude',
  'Line1',
  'Line2',
  'Line3',
  'Longitude',
  'Name',
  'PostalCode',
  'PostOfficeBox',
  'PrimaryContactName',
] as const;
const ADDRESS_TAIL = ['StateOrProvince', 'Telephone1', 'Telephone2', 'Telephone3', 'TimeZoneRuleVersionNumber', 'UPSZone', 'UTCOffset', 'UTCConversionTimeZoneCode'] as const;

function address(parent: XmlNode, number: number): void {
  const a = parent.ele('Address');
  textElements(a, [
    ['AddressNumber', number],
    ['AddressTypeCode', 1],
  ]);
  for (const f of ADDRESS_FIELDS) nil(a, f);
  textElement(a, 'ShippingMethodCode', 1);
  for (const f of ADDRESS_TAIL) nil(a, f);
}

export function renderSolutionXml(manifest: SolutionManifest, managed: ManagedFlag, roots: readonly RootComponent[], options: { bom?: boolean } = {}): string {
  const root = xmlDocument('ImportExportXml', {
    version: '9.2.24095.174',
    SolutionPackageVersion: '9.2',
    languagecode: String(LANGUAGE),
    generatedBy: 'CrmLive',
    'xmlns:xsi': XSI,
  });
  const m = root.ele('SolutionManifest');
  textElement(m, 'UniqueName', manifest.uniqueName);
  labelList(m, 'LocalizedNames', 'LocalizedName', manifest.displayName);
  labelList(m, 'Descriptions', 'Description', manifest.description);
  textElements(m, [
    ['Version', manifest.version],
    ['Managed', managed],
  ]);
  const p = m.ele('Publisher');
  textElement(p, 'UniqueName', manifest.publisher.uniqueName);
  labelList(p, 'LocalizedNames', 'LocalizedName', manifest.publisher.displayName);
  labelList(p, 'Descriptions', 'Description', manifest.publisher.description);
  nil(p, 'EMailAddress');
  nil(p, 'SupportingWebsiteUrl');
  textElements(p, [
    ['CustomizationPrefix', manifest.publisher.prefix],
    ['CustomizationOptionValuePrefix', manifest.publisher.optionValuePrefix],
  ]);
  const addresses = p.ele('Addresses');
  address(addresses, 1);
  address(addresses, 2);
  const list = m.ele('RootComponents');
  for (const r of roots) {
    const attrs: Record<string, string> = { type: String(r.type) };
    if (r.schemaName !== undefined) attrs['schemaName'] = r.schemaName;
    if (r.id !== undefined) attrs['id'] = `{${r.id}}`;
    attrs['behavior'] = String(r.behavior);
    list.ele('RootComponent', attrs);
  }
  m.ele('MissingDependencies');
  return serialize(root, options);
}

/** The top-level sections of customizations.xml, in CustomizationsSolution.xsd's sequence. */
export const CUSTOMIZATION_SECTIONS = [
  'Entities',
  'Roles',
  'Workflows',
  'FieldSecurityProfiles',
  'Templates',
  'EntityMaps',
  'EntityRelationships',
  'OrganizationSettings',
  'optionsets',
  'WebResources',
  'CustomControls',
  'SolutionPluginAssemblies',
  'SdkMessageProcessingSteps',
  'ServiceEndpoints',
  'EntityDataProviders',
] as const;
export type CustomizationSection = (typeof CUSTOMIZATION_SECTIONS)[number];

/** Other/Customizations.xml: every section empty (the unpacked files fill them at pack time) and the languages. */
export function renderCustomizationsSkeleton(): string {
  const root = xmlDocument('ImportExportXml', { 'xmlns:xsi': XSI });
  for (const s of CUSTOMIZATION_SECTIONS) root.ele(s);
  textElement(root.ele('Languages'), 'Language', LANGUAGE);
  return serialize(root);
}

/**
 * [Content_Types].xml (Open Packaging Conventions): a Default per file extension and an Override per part without
 * one (web resource files are stored without extension), plus each control manifest, as exports list it.
 */
export function renderContentTypes(paths: readonly string[]): string {
  const root = xmlDocument('Types', { xmlns: 'http://schemas.openxmlformats.org/package/2006/content-types' });
  const extensions = new Set<string>();
  const overrides: string[] = [];
  for (const p of paths) {
    if (p === '[Content_Types].xml') continue;
    const base = p.slice(p.lastIndexOf('/') + 1);
    const dot = base.lastIndexOf('.');
    if (dot <= 0) overrides.push(p);
    else extensions.add(base.slice(dot + 1).toLowerCase());
    if (/^Controls\/[^/]+\/ControlManifest\.xml$/.test(p)) overrides.push(p);
  }
  for (const ext of [...extensions].sort()) root.ele('Default', { Extension: ext, ContentType: ext === 'xml' ? 'text/xml' : 'application/octet-stream' });
  for (const p of overrides.sort()) root.ele('Override', { PartName: `/${p}`, ContentType: 'application/octet-stream' });
  return root.end({ prettyPrint: false }).replace(/\/>/g, ' />').replace(/^/, '\uFEFF');
}

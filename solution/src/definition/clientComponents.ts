/**
 * The client-side components the solution carries: web resources (ribbon commands, form scripts) and PCF code
 * components. Their content is built elsewhere (webresources/, pcf/) and read through inputs/buildOutputs.ts; this
 * module only says what they are called in Dataverse.
 */
import { WebResourceType } from '../schema/platformTables';
import { componentId } from './ids';
import { PUBLISHER } from './manifest';

export interface WebResourceDefinition {
  readonly id: string;
  /** The web resource name, e.g. pfb_/scripts/commands.js (`/` makes virtual folders; served at /WebResources/<name>). */
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  readonly type: number;
  /** RESX language from a `.<lcid>.resx` name (webresource.languagecode). */
  readonly languageCode?: number;
  /**
   * Web resources loaded with this one (the solution's DependencyXml): a script's RESX must be one for
   * Xrm.Utility.getResourceString to find its strings ("getResourceString": associated as a dependency).
   */
  readonly dependencies: readonly string[];
}

/** Web resource types by file extension ("Web resource table reference": webresourcetype). */
const TYPE_BY_EXTENSION: Readonly<Record<string, number>> = {
  htm: WebResourceType.Html,
  html: WebResourceType.Html,
  css: WebResourceType.Css,
  js: WebResourceType.JScript,
  xml: WebResourceType.Xml,
  png: WebResourceType.Png,
  jpg: WebResourceType.Jpg,
  jpeg: WebResourceType.Jpg,
  gif: WebResourceType.Gif,
  xsl: WebResourceType.Xsl,
  xslt: WebResourceType.Xsl,
  ico: WebResourceType.Ico,
  svg: WebResourceType.Svg,
  resx: WebResourceType.Resx,
};

export function webResourceTypeOf(name: string): number | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  return ext ? TYPE_BY_EXTENSION[ext] : undefined;
}

export function webResource(name: string, displayName: string, description: string, dependencies: readonly string[] = []): WebResourceDefinition {
  const type = webResourceTypeOf(name);
  if (type === undefined) throw new Error(`Web resource ${name}: its extension does not name a Dataverse web resource type (.js, .html, .css, .xml, .png, .svg, .resx…)`);
  if (!name.startsWith(`${PUBLISHER.prefix}_`)) throw new Error(`Web resource ${name}: the name must start with the publisher prefix ${PUBLISHER.prefix}_`);
  const lcid = type === WebResourceType.Resx ? /\.(\d{4,5})\.resx$/i.exec(name)?.[1] : undefined;
  return { id: componentId('webresource', name), name, displayName, description, type, ...(lcid ? { languageCode: Number(lcid) } : {}), dependencies };
}

/** What the web resource build produces (issue 6), unless its name→file map says otherwise (inputs/buildOutputs.ts). */
export const DEFAULT_WEB_RESOURCES: readonly WebResourceDefinition[] = [
  webResource('pfb_/scripts/commands.js', 'Project Field Bridge: ribbon commands', 'Ready to Sync and related commands on the project task grid, subgrid and form and on the project form.'),
  webResource('pfb_/scripts/forms.js', 'Project Field Bridge: form scripts', 'Form events of the project and project task forms.'),
];

export interface ControlDefinition {
  /** The manifest's namespace and constructor. */
  readonly namespace: string;
  readonly constructorName: string;
  /** The customcontrol name in the solution: <publisher prefix>_<namespace>.<constructor>, as pac names it. */
  readonly name: string;
}

function control(namespace: string, constructorName: string): ControlDefinition {
  return { namespace, constructorName, name: `${PUBLISHER.prefix}_${namespace}.${constructorName}` };
}

/** The PCF controls (issue 7). */
export const CONTROLS: readonly ControlDefinition[] = [control('ProjectFieldBridge', 'WbsWorkOrderGrid'), control('ProjectFieldBridge', 'BookingProgressPanel')];

/** Code components' resources become web resources named cc_<control name>/<path> when a solution is imported. */
export const controlResourceName = (c: Pick<ControlDefinition, 'name'>, path: string): string => `cc_${c.name}/${path}`;

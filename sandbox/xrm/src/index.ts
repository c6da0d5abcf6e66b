/**
 * The sandbox's `Xrm`: a real implementation of the client API pieces our web resources use, over the local
 * Dataverse Web API. `mountXrm` sets it up in a page; the pieces are exported for shells (issue 9) and for Node
 * callers that only need the Web API (tests, benchmarks).
 */
export { mountXrm, type MountOptions, type MountedXrm } from './mount';
export { createWebApi, loadMetadata, type SandboxWebApi, type WebApiOptions } from './webApi/webApi';
export { Transport, type FetchLike, type TransportOptions } from './webApi/transport';
export { parseCsdl, type EntityMetadataIndex } from './webApi/metadata';
export { OperationBuilder, type HttpOperation, type ExecuteRequestObject } from './webApi/operations';
export { serializeBatch, parseBatchResponse, type BatchPart, type BatchItem } from './webApi/batch';
export { errorFromResponse, type XrmWebApiError } from './webApi/errors';
export { userPrivileges, privilegeIdOf, type PrivilegeGrant, type UserPrivileges } from './context/privileges';
export { ResourceStrings, parseResx } from './context/resources';
export { GridControl, type GridRecord, type GridControlOptions } from './controls/gridControl';
export { renderGrid, type GridColumn } from './controls/gridView';
export { createForm, type SandboxForm, type FormOptions } from './controls/formContext';
export { CommandBar, scriptLoader, type CommandContext, type ButtonState, type Surface } from './ribbon/commandBar';
export { readRibbonDiff, parseXml, type RibbonModel } from './ribbon/ribbonModel';
export { openGridPage, openFormPage, type GridPage, type GridPageOptions, type FormPage, type FormPageOptions } from './pages';

/**
 * The solution workspace's API for the rest of the repository: the solution-framework tables that extend the schema
 * module, the names solution files use, the XML vocabulary shared by the packer and the local Dataverse's
 * ImportSolution, the package builder, and the definitions the setup command applies.
 */
export * from './schema/platformTables';
export * from './schema/platformNames';
export * from './schema/sdkMessages';
export * from './schema/optionSetLabels';
export * from './render/attributeCodec';
export { parseElementTree, child, children, childNames, descendants, type Element } from './check/elementTree';
export { componentId, braced, unbraced } from './definition/ids';
export { MANIFEST, PUBLISHER, packageFileName, type SolutionManifest } from './definition/manifest';
export { tableComponents, globalOptionSets, RIBBON_TABLES, PUBLISHER_PREFIX, type TableComponent } from './definition/tables';
export * from './definition/webhooks';
export * from './definition/environmentVariables';
export * from './definition/securityRoles';
export * from './definition/clientComponents';
export { buildPackages, solutionPackage, type PackageComponents, type BuildResult } from './pack/buildPackages';
export { packSolution, packedWebResourceFileName } from './pack/packSolution';
export { zipFiles, unzipFiles } from './pack/zip';
export { solutionContents, generateSource, type SolutionContents } from './unpacked/generateSource';
export { checkPackage, type Problem } from './check/checkPackage';
export { xmllint } from './check/xmllint';
export { readBuildOutputs, LOCATIONS, type BuildOutputLocations, type BuildOutputMode } from './inputs/buildOutputs';

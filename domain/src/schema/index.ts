/** The one schema module: import names, option values and keys from here, never as literals. */
import { buildSchema } from './registry';
import * as tables from './tables';
import type { TableDef } from './types';

export * from './types';
export * from './choices';
export { buildSchema, navigationPropertyOf } from './registry';
export type { SchemaModel } from './registry';
export { col, defineTable, optionSet, sequentialOptions } from './build';
export * from './tables';

/** Every table the product touches, as one model. */
export const schema = buildSchema(Object.values(tables) as TableDef[]);

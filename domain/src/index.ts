export * from './schema';
export * from './planning';
export * from './lifecycle';
export * from './mapping';
export * from './rollup';
export * from './validation';

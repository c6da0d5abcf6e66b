export * from './pfb';
export * from './fieldservice';

/**
 * One jest run over every workspace. TypeScript is transpiled by ts-jest (isolated modules: type checking is
 * `npm run lint`). PCF controls run in jsdom with their own tsconfig (JSX, DOM); everything else runs in node.
 */
const transformWith = (tsconfig) => ({ '^.+\\.tsx?$': ['ts-jest', { tsconfig }] });

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 30000,
  // Tests start real servers and browsers on 127.0.0.1; keep the machine's two cores for them.
  maxWorkers: 2,
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      roots: ['<rootDir>/domain', '<rootDir>/sandbox', '<rootDir>/functions-bridge', '<rootDir>/solution', '<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      transform: transformWith('<rootDir>/tsconfig.json'),
    },
    {
      displayName: 'webresources',
      testEnvironment: 'node',
      roots: ['<rootDir>/webresources'],
      testMatch: ['**/*.test.ts'],
      transform: transformWith('<rootDir>/webresources/tsconfig.json'),
    },
    {
      displayName: 'pcf',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/pcf'],
      testMatch: ['**/*.test.ts', '**/*.test.tsx'],
      testPathIgnorePatterns: ['/node_modules/', '/out/', '/generated/'],
      transform: transformWith('<rootDir>/pcf/tsconfig.json'),
    },
  ],
};

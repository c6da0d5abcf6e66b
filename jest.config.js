/** One jest run over every workspace. TypeScript is transpiled by ts-jest (isolated modules: type checking is `npm run lint`). */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/domain', '<rootDir>/sandbox', '<rootDir>/functions-bridge', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  testTimeout: 30000,
  // Tests start real servers on 127.0.0.1; keep the machine's two cores for them.
  maxWorkers: 2,
};

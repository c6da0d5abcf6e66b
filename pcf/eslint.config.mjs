// Flat ESLint config for `pcf-scripts build` (it lints each control folder from this directory). The repository's
// own `npm run lint` uses the root config; this one adds the platform-library rules of virtual controls.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', '**/generated/**', 'node_modules/**', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // A virtual control gets React and Fluent v9 from the platform (ControlManifest platform-library). Importing
    // react-dom, or a @fluentui/react-* package directly, silently bundles a second copy (platform-notes, PCF).
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['**/*.test.ts', '**/*.test.tsx', 'testing/**', 'scripts/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'react-dom', message: 'Virtual controls are rendered by the platform: never import react-dom.' },
            { name: '@pfb/domain', message: 'The domain index pulls Luxon and the whole schema into the bundle: deep-import a light module, and take names from pcf/shared/schemaNames.' },
          ],
          patterns: [
            { group: ['react-dom/*'], message: 'Virtual controls are rendered by the platform: never import react-dom.' },
            {
              group: ['@fluentui/react-*', '!@fluentui/react-components', '!@fluentui/react-components/*'],
              message: 'Import Fluent v9 from @fluentui/react-components only (the platform library); other packages bundle a second copy.',
            },
            {
              group: ['@pfb/domain/src/index', '@pfb/domain/src/schema', '@pfb/domain/src/schema/**', '@pfb/domain/src/planning/**', '@pfb/domain/src/validation/**'],
              message: 'Take names and option values from pcf/shared/schemaNames (generated from the schema); the schema tables and Luxon would not fit the 60 KB bundle.',
            },
          ],
        },
      ],
    },
  },
);

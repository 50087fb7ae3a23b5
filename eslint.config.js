// ESLint flat config. Rules: ESLint's and typescript-eslint's recommended sets, no `any`, no import
// cycles, and the architecture's boundaries (a service never imports another service; the store, lib
// and config never import a service or the protocol layer). No formatting rules.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// One zone per service folder: files in src/services/<a>/ may import only their own folder from
// src/services/. Read from disk so a new service folder is covered without editing this file.
const root = fileURLToPath(new URL('.', import.meta.url));
const services = readdirSync(new URL('src/services', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

const serviceZones = services.map((name) => ({
  target: `./src/services/${name}`,
  from: './src/services',
  except: [`./${name}`],
  message: `A service meets other services only through the engine (env.call) and the event bus.`,
}));

const layerZones = ['store', 'lib', 'config'].flatMap((layer) =>
  ['services', 'protocol'].map((upper) => ({
    target: `./src/${layer}`,
    from: `./src/${upper}`,
    message: `src/${layer} sits below src/${upper}: move the shared piece down instead of importing up.`,
  })),
);

// import-x follows the repo's explicit `.ts`/`.tsx` specifiers with plain Node resolution, and parses
// the files it follows with typescript-eslint's parser (no type information needed).
const importSettings = {
  'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
  'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
  'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
  'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })],
};

export default defineConfig(
  {
    ignores: ['node_modules/', 'dist/', 'web/dist/', 'bench/results/', 'data/', 'scratch/', '.tmp/', 'test/console/artifacts/',
      // AWS's own canary scripts, kept verbatim: "scripts written for AWS run unchanged".
      'test/fixtures/synthetics/'],
  },
  {
    // A disable comment that no longer suppresses anything fails the lint, so none goes stale.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: 'module',
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // `const { Tags: _tags, ...rest } = x` is how the code drops a field from a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    // Plain JavaScript (bin/, scripts/*.mjs, this file) runs on Node and has no TypeScript to
    // check its globals.
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{ts,mjs}'],
    plugins: { 'import-x': importX },
    settings: importSettings,
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: [...serviceZones, ...layerZones] }],
    },
  },
  {
    // The size rules of STYLE.md for source (tests and generated snapshots excepted): a file over
    // 600 lines or a function over 80 is two concepts.
    files: ['src/**/*.ts', 'web/src/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    rules: {
      'max-lines': ['error', { max: 600 }],
      'max-lines-per-function': ['error', { max: 80 }],
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX, 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    settings: importSettings,
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // The two classic hooks rules only; the React Compiler rules in v7's recommended set are not adopted.
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
);

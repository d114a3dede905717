// Lint for mistakes, not style: ESLint's and typescript-eslint's recommended rules, the rules of
// React hooks, and the engine kept free of the terminal UI. Which room of src/ may import which is
// checked by test/unit/architecture.test.ts (it sees lazy import() too, which lint rules do not).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Node 20's globals that the plain .mjs scripts and benchmarks use (TypeScript files know them from @types/node). */
const NODE_GLOBALS = Object.fromEntries(
  ['process', 'console', 'Buffer', 'URL', 'fetch', 'AbortController', 'AbortSignal', 'performance', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'].map((name) => [
    name,
    'readonly',
  ]),
);

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', '.kubelab-test/**', 'reports/**', 'coverage/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // `_name` marks a parameter an interface requires but this implementation does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Checkers are generic in their argument schema; a registry holds them as Checker<any>.
      '@typescript-eslint/no-explicit-any': 'off',
      // kubelab strips and escapes terminal control characters on purpose (ANSI, XML, class names).
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['ink', 'react'].map((name) => ({ name, message: 'The engine draws nothing: UI code lives in src/ui.' })) }],
    },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: NODE_GLOBALS },
  },
);

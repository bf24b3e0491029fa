import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.cache/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The console runs in the browser.
    files: ['console/**/*.js'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', sessionStorage: 'readonly', location: 'readonly', fetch: 'readonly', setTimeout: 'readonly', URLSearchParams: 'readonly', clearTimeout: 'readonly', CSS: 'readonly', URL: 'readonly', Event: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
);

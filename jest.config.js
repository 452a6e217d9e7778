// One transform for the whole tree: swc turns TypeScript, and middy's ESM-only packages, into CommonJS so
// the CommonJS Okta SDK and ESM middy load side by side. Type-checking is `tsc --noEmit`, run by `npm test`.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  // Keep the SDK away from a developer's ~/.okta/okta.yaml and OKTA_CLIENT_* variables.
  setupFiles: ['<rootDir>/test/setup-env.ts'],
};

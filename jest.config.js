// The suite runs as CommonJS: TypeScript through @swc/jest, and ESM-only dependencies
// (NestJS 12 among them) compiled to CommonJS by test/jest/esm-to-cjs.cjs.
const swcTs = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const shared = {
  transform: {
    '^.+\\.ts$': swcTs,
    '/node_modules/.+\\.m?js$': '<rootDir>/test/jest/esm-to-cjs.cjs',
  },
  transformIgnorePatterns: [
    // Large CommonJS-only packages: nothing to compile.
    '/node_modules/(typeorm|pg|pg-[a-z-]+|@swc|jest[a-z-]*|@jest|class-validator|libphonenumber-js|pino[a-z-]*|redoc|core-js|react[a-z-]*|lodash)/',
  ],
  testEnvironment: 'node',
  testEnvironmentOptions: { globalsCleanup: 'off' },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  // file-type only exports "import"/"module-sync" conditions, which Jest's CommonJS resolver skips.
  moduleNameMapper: { '^file-type$': '<rootDir>/node_modules/file-type/index.js' },
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  projects: [
    { ...shared, displayName: 'unit', rootDir: '.', roots: ['<rootDir>/src'], testMatch: ['**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'medium',
      rootDir: '.',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.medium-spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      rootDir: '.',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
    },
  ],
};

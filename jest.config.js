// One Jest run covers unit specs (beside the code) and end-to-end specs (test/).
// TypeScript is compiled by SWC (decorator metadata on); the Nest 12 packages are ESM-only,
// so they go through the same transform to CommonJS (Jest cannot require() ESM).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  testPathIgnorePatterns: [
    '/node_modules/',
    '/dist/',
    '<rootDir>/libs/admin-ui/',
    '<rootDir>/bench/(?!support/)',
  ],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|file-type|strtok3|token-types|peek-readable|@tokenizer|uint8array-extras|jose|openapi-typescript|parse-json|index-to-position|change-case|supports-color)/)',
  ],
  moduleNameMapper: {
    '^@audience-sync/([^/]+)$': '<rootDir>/libs/$1/src',
    '^@(platform|stages|orchestration)/(.*)$': '<rootDir>/src/$1/$2',
  },
  testTimeout: 60000,
  maxWorkers: 2,
};

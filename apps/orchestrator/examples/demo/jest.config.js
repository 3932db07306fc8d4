/** With isolatedModules (tsconfig), ts-jest transpiles each file on its own, which is fast; type errors are tsc's job (npm run build). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
};

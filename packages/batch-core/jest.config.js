module.exports = { ...require('../../jest.preset.js'), displayName: 'batch-core', rootDir: __dirname };

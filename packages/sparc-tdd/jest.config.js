module.exports = { ...require('../../jest.preset.js'), displayName: 'tdd', rootDir: __dirname };

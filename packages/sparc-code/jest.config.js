module.exports = { ...require('../../jest.preset.js'), displayName: 'code', rootDir: __dirname };

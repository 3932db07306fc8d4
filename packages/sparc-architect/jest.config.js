module.exports = { ...require('../../jest.preset.js'), displayName: 'architect', rootDir: __dirname };

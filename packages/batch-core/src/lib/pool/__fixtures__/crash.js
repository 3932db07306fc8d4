'use strict';
const { setTimeout } = require('node:timers');

module.exports = {
  exit: (code) => process.exit(code),
  // Throws outside the task's promise chain, while the task is still pending.
  throwLater: (message) => new Promise(() => {
    setTimeout(() => {
      throw new TypeError(message);
    }, 1);
  }),
  // Objects holding functions cannot be cloned back to the parent thread.
  unclonableResult: () => ({ callback() {} }),
};

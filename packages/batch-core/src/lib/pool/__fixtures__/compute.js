'use strict';
const { threadId } = require('node:worker_threads');

function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

module.exports = {
  fib,
  /** Which thread ran the task. */
  threadId: () => threadId,
  echo: (payload) => payload,
  doubleAll: (items) => items.map((item) => item * 2),
  dropOne: (items) => items.slice(1),
  failOnNegative: (items) => items.map((item) => {
    if (item < 0) throw new RangeError(`negative item ${item}`);
    return item;
  }),
  notAFunction: 42,
};

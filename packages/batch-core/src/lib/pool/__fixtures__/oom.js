'use strict';
// Allocates small live objects until the thread's heap limit kills it.
module.exports = function exhaustHeap() {
  globalThis.retained = [];
  for (let i = 0; ; i++) {
    globalThis.retained.push({ index: i, label: `item-${i}`, values: [i, i + 1, i + 2] });
  }
};

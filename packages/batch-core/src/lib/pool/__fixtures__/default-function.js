'use strict';
// The module itself is the task function.
module.exports = (payload) => ({ received: payload, kind: 'module-function' });

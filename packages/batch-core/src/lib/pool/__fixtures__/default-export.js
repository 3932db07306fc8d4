'use strict';
// Shape of a transpiled `export default`.
Object.defineProperty(exports, '__esModule', { value: true });
exports.default = (payload) => ({ received: payload, kind: 'default-export' });
exports.named = (payload) => ({ received: payload, kind: 'named' });

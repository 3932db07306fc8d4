'use strict';
module.exports = {
  typeError: (payload) => {
    const error = new TypeError(`bad input: ${payload}`);
    error.code = 'E_BAD_INPUT';
    throw error;
  },
  rejects: async (payload) => {
    await Promise.resolve();
    throw new RangeError(`out of range: ${payload}`);
  },
  throwsString: () => {
    throw 'plain string';
  },
  returnsFunction: () => () => 1,
};

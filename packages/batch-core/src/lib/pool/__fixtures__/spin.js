'use strict';
// Busy-waits for `ms` milliseconds without yielding: only terminating the thread stops it.
module.exports = function spin({ ms }) {
  const end = Date.now() + ms;
  let turns = 0;
  while (Date.now() < end) turns++;
  return { turns };
};

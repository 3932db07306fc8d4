import { firstMessage, summarizeJestReport } from './jest-report';
import { workerShare } from './run-suites';

describe('summarizeJestReport', () => {
  const toRelative = (abs: string) => abs.replace('/ws/', '');

  it('counts by status, keeps failures with their line in the test file, and separates files that could not run', () => {
    const summary = summarizeJestReport(
      {
        testResults: [
          {
            name: '/ws/a.test.js',
            status: 'failed',
            message: '',
            assertionResults: [
              { ancestorTitles: ['a'], title: 'works', status: 'passed', failureMessages: [], failureDetails: [] },
              {
                ancestorTitles: ['a'],
                title: 'breaks',
                status: 'failed',
                failureMessages: ['Error: \u001b[2mexpect(\u001b[22mreceived).toBe(expected)\n\nExpected: 1\nReceived: 2\n    at Object.toBe (/ws/a.test.js:7:13)\n    at x (/ws/node_modules/y.js:1:1)'],
                failureDetails: [{ matcherResult: { pass: false } }],
                location: { line: 5, column: 3 },
              },
              { ancestorTitles: [], title: 'later', status: 'todo', failureMessages: [], failureDetails: [] },
              { ancestorTitles: [], title: 'skipped', status: 'pending', failureMessages: [], failureDetails: [] },
            ],
          },
          { name: '/ws/b.test.js', status: 'failed', message: '  ● Test suite failed to run\n\n    Cannot find module \'./x\' from \'b.test.js\'\n\n    > 1 | require("./x")', assertionResults: [] },
        ],
      },
      toRelative,
    );
    expect(summary).toEqual({
      passed: 1,
      failed: 1,
      todo: 1,
      skipped: 1,
      total: 4,
      files: 2,
      failures: [{ file: 'a.test.js', line: 7, test: 'a › breaks', message: 'expect(received).toBe(expected) Expected: 1 Received: 2', assertion: true }],
      crashedFiles: [{ file: 'b.test.js', message: "Cannot find module './x' from 'b.test.js'" }],
    });
  });

  it('keeps the error of a parse failure, not jest\'s advice around it', () => {
    const message = '  ● Test suite failed to run\n\n    Jest encountered an unexpected token\n\n    Jest failed to parse a file. This happens e.g. when ...\n\n    Details:\n\n    SyntaxError: /ws/s.test.js: Unexpected token (2:0)\n\n      1 | test(\n    > 2 |\n\n      at constructor (node_modules/@babel/parser/x.js:1:1)\n';
    const summary = summarizeJestReport({ testResults: [{ name: '/ws/s.test.js', status: 'failed', message, assertionResults: [] }] }, toRelative);
    expect(summary.crashedFiles).toEqual([{ file: 's.test.js', message: 'SyntaxError: /ws/s.test.js: Unexpected token (2:0)' }]);
  });

  it('refuses a document that is not a jest report', () => {
    expect(() => summarizeJestReport({ nope: true }, toRelative)).toThrow(/not a jest --json report/);
  });

  it('keeps messages short', () => {
    expect(firstMessage(`Error: ${'x'.repeat(2000)}`)).toHaveLength(500);
    expect(firstMessage('')).toBe('failed without a message');
  });
});

describe('workerShare', () => {
  it('splits the cores between the suites running at once, never below one', () => {
    expect(workerShare(2, 8, 2)).toBe(1);
    expect(workerShare(1, 8, 8)).toBe(8);
    expect(workerShare(4, 2, 8)).toBe(4);
    expect(workerShare(10, 10, 4)).toBe(1);
  });
});

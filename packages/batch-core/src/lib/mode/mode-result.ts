import { plainFirst, type PlainSchema } from './plain-schema';

/**
 * `modeResultSchema` written down as plain data, so checking a mode's result does not load zod.
 * A test holds it equal to `toPlainSchema(modeResultSchema)`.
 */
export const MODE_RESULT_PLAIN: PlainSchema = {
  type: 'object',
  shape: {
    status: { type: 'enum', values: ['passed', 'warning', 'failed'] },
    summary: { type: 'string' },
    findings: {
      type: 'array',
      element: {
        type: 'object',
        shape: {
          severity: { type: 'enum', values: ['error', 'warning', 'info'] },
          rule: { type: 'string', checks: [{ check: 'min_length', minimum: 1 }] },
          message: { type: 'string' },
          file: { type: 'optional', inner: { type: 'string' } },
          line: {
            type: 'optional',
            inner: {
              type: 'number',
              checks: [{ check: 'safeint' }, { check: 'greater_than', value: 0, inclusive: true }],
            },
          },
        },
      },
    },
    data: { type: 'unknown' },
    artifacts: { type: 'array', element: { type: 'string' } },
  },
};

/** Checks a mode's result; zod is loaded only for a malformed one, to name what is wrong. */
export const modeResultChecker = plainFirst(MODE_RESULT_PLAIN, () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./mode-result-schema') as typeof import('./mode-result-schema')).modeResultSchema;
});

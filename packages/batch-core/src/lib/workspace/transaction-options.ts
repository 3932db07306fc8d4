import { ValidationError } from '../errors';

export interface TransactionOptions {
  /**
   * Files written (and fsynced) at the same time during a commit. fsync is slow one at a time and
   * cheap when many are in flight, so this is what keeps a journaled commit close to plain writes.
   * @default 16
   */
  concurrency?: number;
}

export const DEFAULT_COMMIT_CONCURRENCY = 16;

let transactionOptionsSchema: ReturnType<typeof buildSchema> | undefined;

/** Built on first use: recovery reads DEFAULT_COMMIT_CONCURRENCY from here on every workspace open, without zod. */
function buildSchema() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { z } = require('zod') as typeof import('zod');
  return z.strictObject({
    concurrency: z.number().int('must be a whole number').min(1, 'must be at least 1').max(1024, 'must be at most 1024').optional(),
  });
}

export function parseTransactionOptions(options: unknown): Required<TransactionOptions> {
  transactionOptionsSchema ??= buildSchema();
  const parsed = transactionOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || 'options', message: issue.message }));
    const first = issues[0];
    throw new ValidationError(`invalid transaction option ${first.path}: ${first.message}`, issues);
  }
  return { concurrency: parsed.data.concurrency ?? DEFAULT_COMMIT_CONCURRENCY };
}

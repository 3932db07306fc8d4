import { batchInputSchema, isPlainValidBatch, isPlainValidOperation, operationInputSchema } from './schema';

/** The fast checks may only accept what the zod schemas accept (they may pass anything else on). */
const operations: unknown[] = [
  { id: 'a', type: 't' },
  { id: 'a', type: 't', params: { x: 1 }, dependsOn: ['b'], timeoutMs: 10, priority: -3 },
  { id: 'with space', type: 't' },
  { id: 'tab\there', type: 't' },
  { id: 'nbsp\u00a0here', type: 't' },
  { id: 'ünïcödé', type: 't' },
  { id: '', type: 't' },
  { id: 'a'.repeat(201), type: 't' },
  { id: 'a', type: '' },
  { id: 'a' },
  { type: 't' },
  { id: 7, type: 't' },
  { id: 'a', type: 't', dependsOn: 'b' },
  { id: 'a', type: 't', dependsOn: [''] },
  { id: 'a', type: 't', timeoutMs: 0 },
  { id: 'a', type: 't', timeoutMs: 1.5 },
  { id: 'a', type: 't', priority: 0.5 },
  { id: 'a', type: 't', retry: { attempts: 2, backoffMs: 1 } },
  { id: 'a', type: 't', extra: true },
  null,
  [],
  'op',
];

const batches: unknown[] = [
  { operations: [] },
  { operations: [], concurrency: 3, failFast: true, atomic: false, dryRun: false, label: 'x' },
  { operations: [], concurrency: 0 },
  { operations: [], concurrency: 2.5 },
  { operations: [], failFast: 'yes' },
  { operations: [], label: 'x'.repeat(201) },
  { operations: {} },
  { operations: [], concurency: 2 },
  { operations: [], timeoutMs: 100 },
  [],
  null,
];

it.each(operations.map((op) => [JSON.stringify(op), op]))('operation %s: the fast check never accepts what zod rejects', (_name, op) => {
  const acceptedButInvalid = isPlainValidOperation(op) && !operationInputSchema.safeParse(op).success;
  expect(acceptedButInvalid).toBe(false);
});

it.each(batches.map((b) => [JSON.stringify(b), b]))('batch %s: the fast check never accepts what zod rejects', (_name, batch) => {
  const acceptedButInvalid = isPlainValidBatch(batch) && !batchInputSchema.safeParse(batch).success;
  expect(acceptedButInvalid).toBe(false);
});

it('the fast checks accept the common valid shapes', () => {
  expect(isPlainValidOperation({ id: 'op1', type: 'file.read', params: {}, dependsOn: ['op0'] })).toBe(true);
  expect(isPlainValidOperation({ id: 'ünïcödé', type: 't' })).toBe(true);
  expect(isPlainValidOperation({ id: 'nbsp\u00a0here', type: 't' })).toBe(false);
  expect(isPlainValidBatch({ operations: [], concurrency: 6 })).toBe(true);
});

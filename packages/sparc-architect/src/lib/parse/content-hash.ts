import { createHash } from 'node:crypto';

/** Content hash of a file, the key of the parse cache. */
export function contentHash(content: Buffer | string): string {
  return createHash('sha1').update(content).digest('base64url');
}

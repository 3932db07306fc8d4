import { z } from 'zod';

// The manifest of a commit's journal (see journal.ts). Kept apart so that zod loads only when
// recovery reads a manifest back; writing one needs only the type.

const fileName = z.string().regex(/^[^/\\\0]+$/, 'must be a plain file name');
const relativePath = z.string().min(1).refine((p) => !p.includes('\0'), 'must not contain NUL');

export const journalTargetSchema = z.object({
  /** Workspace-relative path, forward slashes. */
  path: relativePath,
  /** Whether a file was there before the commit (then `backup` holds it). */
  existed: z.boolean(),
  /** File name of the backup inside the journal folder. */
  backup: fileName.optional(),
  /** File name of the new content's temp file, in the target's own folder. Absent for deletes. */
  temp: fileName.optional(),
});
export type JournalTarget = z.infer<typeof journalTargetSchema>;

export const journalManifestSchema = z.object({
  version: z.literal(1),
  txnId: z.string(),
  pid: z.number().int(),
  hostname: z.string(),
  createdAt: z.string(),
  targets: z.array(journalTargetSchema),
  /** Folders the commit creates, shallowest first. */
  createdDirs: z.array(relativePath),
  /** Folders the commit removes, deepest first. */
  removedDirs: z.array(relativePath),
});
export type JournalManifest = z.infer<typeof journalManifestSchema>;

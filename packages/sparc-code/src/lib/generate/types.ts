/**
 * One file a generator produces. A plain file follows the run's conflict policy; `ifMissing`
 * files (shared ones like `src/errors.ts`) are written only when absent and otherwise left alone;
 * a `patch` computes the new content from the current one (wiring a new package into the root
 * `package.json`), so it always applies.
 */
export type GeneratedFile =
  | {
      /** Workspace-relative, forward slashes. */
      path: string;
      content: string;
      ifMissing?: boolean;
    }
  | {
      path: string;
      /** The new content from the current one (`undefined` when the file does not exist). */
      patch: (current: string | undefined) => string;
    };

/** What a generator turned its input into: the files, and a line for people. */
export interface GeneratorOutput {
  files: GeneratedFile[];
  /** Notes for the person running it (e.g. "run npm install to link the new package"). */
  notes: string[];
}

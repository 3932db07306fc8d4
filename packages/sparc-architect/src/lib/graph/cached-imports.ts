/**
 * A file's imports together with their resolutions, in the packed form the resolution cache keeps
 * and `buildGraph` reads back without creating an object per import. Per import, 4 integers from
 * `start` in `data`:
 *
 *   tag | kind index << 4 | flags << 8 · module index, or offset of its text · text length · line
 *
 * The text (a package name, or the specifier of an import that did not resolve) is
 * `text.slice(textStart + offset, textStart + offset + length)`.
 */
export interface CachedImports {
  count: number;
  data: Int32Array;
  start: number;
  text: string;
  textStart: number;
}

export const INTS_PER_IMPORT = 4;

export const TAG_UNRESOLVED = 0;
export const TAG_MODULE = 1;
/** A module found through workspace package mapping. */
export const TAG_WORKSPACE_MODULE = 2;
export const TAG_BUILTIN = 3;
export const TAG_EXTERNAL = 4;
/** A file that exists but is not analysed. */
export const TAG_OUTSIDE = 5;

export const TAG_MASK = 0xf;
export const KIND_SHIFT = 4;
export const KIND_MASK = 0xf;
export const FLAGS_SHIFT = 8;


import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { decodePacked, encodePacked } from './packed-file';
import { CACHE_DIR } from '../cache-dir';
import { writeFileAtomicSync } from './write-atomic';

const KIND = 'TEXT';
const FORMAT = 1;

/**
 * One rendered text from the previous run with the key it was made for: a run whose key is the
 * same (what the text shows has not changed) takes the text instead of rendering it again. Used for
 * the graph part of the JSON artifact, the largest thing a run writes, which an edit that changes
 * no import leaves as it was.
 */
export class TextCache {
  readonly enabled: boolean;
  readonly file: string;
  readonly #loaded: { key: string; text: string } | undefined;
  /** Told when the text cannot be kept for the next run; without it, the write error is thrown. */
  onWriteError: ((error: unknown) => void) | undefined;

  private constructor(file: string, enabled: boolean, loaded: { key: string; text: string } | undefined) {
    this.file = file;
    this.enabled = enabled;
    this.#loaded = loaded;
  }

  /** `name`: the file under the cache folder. A missing, corrupt or outdated file holds nothing. */
  static async open(root: string, name: string, enabled: boolean): Promise<TextCache> {
    const file = path.join(root, CACHE_DIR, name);
    if (!enabled) return new TextCache(file, false, undefined);
    let loaded: { key: string; text: string } | undefined;
    try {
      const { texts } = decodePacked(await fsp.readFile(file), KIND, FORMAT);
      if (texts.length === 2) loaded = { key: texts[0], text: texts[1] };
    } catch {
      loaded = undefined;
    }
    return new TextCache(file, true, loaded);
  }

  /** The text for `key`: the cached one when the key is the same, else `render()`'s, kept for the next run. */
  get(key: string, render: () => string): string {
    if (this.#loaded?.key === key) return this.#loaded.text;
    const text = render();
    if (this.enabled) this.#keep(key, text);
    return text;
  }

  #keep(key: string, text: string): void {
    try {
      writeFileAtomicSync(this.file, encodePacked(KIND, FORMAT, { floats: [], ints: [], texts: [key, text] }));
    } catch (error) {
      if (this.onWriteError === undefined) throw error;
      this.onWriteError(error);
    }
  }
}

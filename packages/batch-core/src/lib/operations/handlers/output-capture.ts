/**
 * Collects a child's output stream within a byte budget. When the output is larger, the first and
 * the last halves are kept (where commands print what they are doing and how it ended) and a
 * marker says how much was dropped in between. Memory stays bounded by the budget plus one chunk.
 */
export class OutputCapture {
  readonly #headLimit: number;
  readonly #tailLimit: number;
  #head: Buffer[] = [];
  #headBytes = 0;
  #tail: Buffer[] = [];
  #tailBytes = 0;
  #totalBytes = 0;

  constructor(maxBytes: number) {
    this.#headLimit = Math.ceil(maxBytes / 2);
    this.#tailLimit = maxBytes - this.#headLimit;
  }

  get totalBytes(): number {
    return this.#totalBytes;
  }

  get truncated(): boolean {
    return this.#totalBytes > this.#headLimit + this.#tailLimit;
  }

  push(chunk: Buffer): void {
    this.#totalBytes += chunk.length;
    let rest = chunk;
    if (this.#headBytes < this.#headLimit) {
      const take = Math.min(rest.length, this.#headLimit - this.#headBytes);
      this.#head.push(rest.subarray(0, take));
      this.#headBytes += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0 || this.#tailLimit === 0) return;
    this.#tail.push(rest);
    this.#tailBytes += rest.length;
    while (this.#tail.length > 1 && this.#tailBytes - this.#tail[0].length >= this.#tailLimit) {
      this.#tailBytes -= (this.#tail.shift() as Buffer).length;
    }
  }

  toString(): string {
    const head = Buffer.concat(this.#head).toString('utf8');
    let tail = Buffer.concat(this.#tail);
    if (tail.length > this.#tailLimit) tail = tail.subarray(tail.length - this.#tailLimit);
    if (!this.truncated) return head + tail.toString('utf8');
    const dropped = this.#totalBytes - this.#headBytes - tail.length;
    return `${head}\n[... ${dropped} bytes truncated ...]\n${tail.toString('utf8')}`;
  }

  /** The last `maxChars` characters, for error reports. */
  tail(maxChars: number): string {
    const text = this.toString();
    return text.length > maxChars ? text.slice(text.length - maxChars) : text;
  }
}

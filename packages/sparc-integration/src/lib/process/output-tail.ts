/** Keeps the last `limit` bytes written to a stream: enough to explain a failure, bounded for chatty services. */
export class OutputTail {
  #chunks: Buffer[] = [];
  #bytes = 0;
  #dropped = false;
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
    while (this.#bytes > this.#limit && this.#chunks.length > 1) {
      this.#bytes -= (this.#chunks.shift() as Buffer).length;
      this.#dropped = true;
    }
    if (this.#bytes > this.#limit) {
      const only = this.#chunks[0];
      this.#chunks[0] = only.subarray(only.length - this.#limit);
      this.#bytes = this.#limit;
      this.#dropped = true;
    }
  }

  toString(): string {
    const text = Buffer.concat(this.#chunks).toString('utf8');
    return this.#dropped ? `…${text}` : text;
  }
}

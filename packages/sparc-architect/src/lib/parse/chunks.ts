/**
 * Splits files into chunks of about equal bytes, so one thread is not left parsing a few huge
 * generated files while the others idle. Largest files are placed first (longest-processing-time
 * first) and each goes to the chunk with the fewest bytes; the largest chunks are sent first.
 */
export function chunkByBytes<T extends { size: number }>(items: readonly T[], chunkCount: number): T[][] {
  const count = Math.max(1, Math.min(chunkCount, items.length));
  const chunks: T[][] = Array.from({ length: count }, () => []);
  const bytes = new Float64Array(count);
  const sorted = [...items].sort((a, b) => b.size - a.size);
  for (const item of sorted) {
    let lightest = 0;
    for (let i = 1; i < count; i++) if (bytes[i] < bytes[lightest]) lightest = i;
    chunks[lightest].push(item);
    // Every file costs something beyond its bytes (a read, a hash, a message entry).
    bytes[lightest] += item.size + 512;
  }
  const order = chunks.map((chunk, i) => ({ chunk, bytes: bytes[i] })).filter((c) => c.chunk.length > 0);
  order.sort((a, b) => b.bytes - a.bytes);
  return order.map((c) => c.chunk);
}

/** How many chunks for `totalBytes` over `threads`: a few per thread to even out, none smaller than `minBytes`. */
export function chunkCountFor(totalBytes: number, threads: number, minBytes = 128 * 1024, perThread = 4): number {
  return Math.max(1, Math.min(threads * perThread, Math.ceil(totalBytes / minBytes)));
}

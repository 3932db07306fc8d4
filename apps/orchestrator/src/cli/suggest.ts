/**
 * Edit distance where swapping two neighbouring letters counts as one edit (optimal string
 * alignment), since `shuot` for `shout` is the typo people make most.
 */
export function editDistance(a: string, b: string): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, beforePrevious[j - 2] + 1);
      current.push(best);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length];
}

/** The closest candidate when it is close enough to be a likely typo, else undefined. */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  const limit = Math.max(1, Math.floor(needle.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(needle, candidate.toLowerCase());
    const prefix = needle.length >= 2 && candidate.toLowerCase().startsWith(needle);
    if ((distance <= limit || prefix) && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

/** ` (did you mean "x"?)` or an empty string. */
export function didYouMean(input: string, candidates: Iterable<string>, format: (name: string) => string = (name) => `"${name}"`): string {
  const match = closest(input, candidates);
  return match === undefined ? '' : ` (did you mean ${format(match)}?)`;
}

import { parseDocument } from 'yaml';

/** `entities[0].fields[2]` → `['entities', 0, 'fields', 2]`. */
export function pathSegments(specPath: string): Array<string | number> {
  const segments: Array<string | number> = [];
  for (const match of specPath.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[1] !== '(root)') segments.push(match[1]);
  }
  return segments;
}

/**
 * Finds where spec paths sit in the spec's text (JSON or YAML: YAML's parser reads both), so a
 * finding can point at a line. A path the file does not spell out (a default) points at its
 * nearest written ancestor.
 */
export function specLocator(text: string): (specPath: string) => number | undefined {
  let doc: ReturnType<typeof parseDocument> | undefined;
  try {
    doc = parseDocument(text);
  } catch {
    return () => undefined;
  }
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  return (specPath) => {
    const segments = pathSegments(specPath);
    for (let n = segments.length; n > 0; n--) {
      const node = doc?.getIn(segments.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return lineOf(node.range[0]);
    }
    // Not written anywhere (a default): the document itself.
    const root = doc?.contents as { range?: [number, number, number] } | null | undefined;
    return root?.range ? lineOf(root.range[0]) : 1;
  };
}

import { createRequire } from 'node:module';

type YamlParse = (text: string) => unknown;
let yamlParse: YamlParse | undefined;

/**
 * The YAML parser batch-core already depends on (yaml 2). Loaded through batch-core's own
 * resolution because the copy hoisted to the repository root is an unrelated yaml 1.x.
 */
function loadYaml(): YamlParse {
  if (!yamlParse) {
    const fromCore = createRequire(require.resolve('@sparc/batch-core/package.json'));
    yamlParse = (fromCore('yaml') as { parse: YamlParse }).parse;
  }
  return yamlParse;
}

export function isYamlPath(file: string): boolean {
  return /\.ya?ml$/i.test(file);
}

/** JSON, or YAML when the file name says so. Throws the parser's own error. */
export function parseStructuredText(text: string, file: string): unknown {
  return isYamlPath(file) ? loadYaml()(text) : JSON.parse(text);
}

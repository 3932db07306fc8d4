import { parse as parseYaml } from 'yaml';

export function isYamlPath(file: string): boolean {
  return /\.ya?ml$/i.test(file);
}

/** JSON, or YAML when the file name says so. Throws the parser's own error. */
export function parseStructuredText(text: string, file: string): unknown {
  return isYamlPath(file) ? parseYaml(text) : JSON.parse(text);
}

// What both AsyncAPI document tests need: the document parsed, and its schemas without the
// parser's marks.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Parser } from '@asyncapi/parser';

/** The parser's (Spectral's) severity for errors. */
export const ERROR = 0;

/** Parses `docs/<name>` of the repository; resolves to the parser's `{ document, diagnostics }`. */
export function parseDoc(name) {
  const source = fileURLToPath(new URL(`../../docs/${name}`, import.meta.url));
  return new Parser().parse(readFileSync(source, 'utf8'), { source });
}

/** The parser marks schemas with x-parser-* keys; strict ajv would refuse them as unknown keywords. */
export function withoutParserKeys(value) {
  if (Array.isArray(value)) return value.map(withoutParserKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value)
    .filter(([key]) => !key.startsWith('x-parser-'))
    .map(([key, inner]) => [key, withoutParserKeys(inner)]));
}

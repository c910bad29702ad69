/**
 * Which original source each byte of a built JavaScript file came from, read from the file's source map (what
 * source-map-explorer does, in a few lines and without a dependency). The Angular build chains the library's own
 * source map, so the library's bytes are attributed to its TypeScript files, not to its one FESM bundle.
 */
import { Buffer } from 'node:buffer';

export const UNMAPPED = '(unmapped)';

const BASE64_DIGITS = new Map(
  [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]),
);

/**
 * Decodes one Base64 VLQ segment of a source map's `mappings` into its signed fields.
 * @see https://tc39.es/ecma426/#sec-mappings
 */
function decodeSegment(segment) {
  const fields = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64_DIGITS.get(char);
    if (digit === undefined) throw new Error(`invalid character ${JSON.stringify(char)} in source map mappings`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return fields;
}

/**
 * UTF-8 bytes of `code` per source file of `map`. Each mapping segment owns the generated text up to the next
 * segment on its line; text before a line's first segment, and segments without a source, count as
 * {@link UNMAPPED}. The totals add up to the file's size exactly (checked), so nothing is silently dropped.
 * @param {string} code The generated file.
 * @param {{ sources: string[], mappings: string }} map Its source map (version 3, no index maps).
 * @returns {Map<string, number>}
 */
export function bytesBySource(code, map) {
  const totals = new Map();
  const add = (source, text) => totals.set(source, (totals.get(source) ?? 0) + Buffer.byteLength(text));
  const lines = code.split('\n');
  const mappingLines = map.mappings.split(';');
  // The source index is relative across the whole map, not per line.
  let sourceIndex = 0;
  lines.forEach((line, lineIndex) => {
    const starts = [];
    let column = 0;
    for (const segment of (mappingLines[lineIndex] ?? '').split(',')) {
      if (!segment) continue;
      const fields = decodeSegment(segment);
      column += fields[0];
      if (fields.length >= 4) sourceIndex += fields[1];
      starts.push({ column, source: fields.length >= 4 ? map.sources[sourceIndex] : UNMAPPED });
    }
    add(UNMAPPED, line.slice(0, starts[0]?.column ?? line.length));
    starts.forEach(({ column: from, source }, i) =>
      add(source, line.slice(from, starts[i + 1]?.column ?? line.length)),
    );
    if (lineIndex < lines.length - 1) add(UNMAPPED, '\n');
  });
  const counted = [...totals.values()].reduce((sum, bytes) => sum + bytes, 0);
  if (counted !== Buffer.byteLength(code)) {
    throw new Error(`source map attribution counted ${counted} bytes of ${Buffer.byteLength(code)}`);
  }
  return totals;
}

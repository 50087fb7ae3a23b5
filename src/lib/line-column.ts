/**
 * Where an offset falls in a multi-line query text, for error messages. `line` is 1-based; the
 * column counts UTF-16 code units from `columnBase` (Logs Insights reports 0-based columns, ANTLR's
 * convention; Metrics Insights messages read better 1-based).
 */
export function lineColumn(text: string, offset: number, columnBase: 0 | 1): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + columnBase };
}

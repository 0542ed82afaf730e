/**
 * Text taken from a results file (scenario ids, backend names, reasons, revert data, host names)
 * made literal for the Markdown and CSV outputs: a results file can come from anyone (merged
 * shards, a pull request), and a Solidity scenario id or a revert reason is user text.
 */

/** Characters that start inline Markdown (emphasis, code, links, HTML, entities, tables, strikethrough, math). */
const MARKDOWN_SPECIAL = /[\\`*_[\]<&|~$]/g;

/**
 * `text` as literal Markdown on one line: line breaks become spaces (so nothing can start a
 * heading, list or quote), and the characters in MARKDOWN_SPECIAL are backslash-escaped
 * (CommonMark lets any ASCII punctuation be escaped). Safe in table cells too (`|` is escaped).
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r\n?|\n/g, ' ').replace(MARKDOWN_SPECIAL, '\\$&');
}

/**
 * `text` as a Markdown code span in a table cell or a line: a backtick fence longer than any run
 * of backticks inside, padded when the text starts or ends with a backtick or space; `|` is
 * escaped (GFM tables split on it even inside code spans, and drop the backslash).
 */
export function markdownCode(text: string, inTable: boolean): string {
  const s = text.replace(/\r\n?|\n/g, ' ');
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(s) ? ' ' : '';
  return `${fence}${pad}${inTable ? s.replace(/\|/g, '\\|') : s}${pad}${fence}`;
}

/** First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field (RFC 4180 quoting). Numbers stay numbers (a negative z is -1.5); text that a
 * spreadsheet would run as a formula gets a leading single quote, as OWASP recommends.
 */
export function csvField(v: unknown): string {
  if (v === undefined || v === null || (typeof v === 'number' && !Number.isFinite(v))) return '';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  const s = String(v);
  const text = FORMULA_START.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

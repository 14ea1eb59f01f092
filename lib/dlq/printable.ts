/**
 * Text from a hostile DLQ made safe to print on one line: whatever another
 * client wrote into a key, a header or an order's strings (newlines, escape
 * sequences, NUL, a megabyte of header) must neither split a monitor line
 * nor flood the terminal.
 *
 * @module
 */

/** How many characters of one field a monitor line shows. */
export const MAX_SHOWN_CHARS = 200;

/**
 * `text` with control characters (C0, DEL, C1, line and paragraph
 * separators) escaped as `\n`, `\t` or `\u001b`, and cut after `max`
 * characters with a note of how many more there were.
 *
 * @example
 * ```ts
 * import { printable } from "./printable.ts";
 * printable("a\nb\u001b[31m"); // "a\\nb\\u001b[31m"
 * printable("x".repeat(5), 3); // "xxx... (2 more characters)"
 * ```
 */
export function printable(text: string, max: number = MAX_SHOWN_CHARS): string {
  const cut = text.length > max ? text.slice(0, max) : text;
  // deno-lint-ignore no-control-regex
  const escaped = cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
  return text.length > max ? `${escaped}... (${text.length - max} more characters)` : escaped;
}

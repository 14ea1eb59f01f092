/**
 * The shape of a DLQ error message: what is left when everything particular
 * to one record (its origin, its order id, its numbers) is folded away, so
 * the summary groups failures by kind, not by record.
 *
 * @module
 */

/** How much of a message {@linkcode messageShape} reads: a huge header must not cost a huge regex scan. */
export const MAX_SHAPE_CHARS = 300;

/**
 * Our own messages that end with an order id (see `lib/order/validate.ts`):
 * all of the rest is the id, whatever bytes it holds, even when the record's
 * value no longer decodes (a DLQ written by an older, lenient decoder).
 */
const ENDS_WITH_ID = /^(product is empty for ).*$/s;

/** Whether `c` can be part of an identifier, so an id inside a longer word is not folded. */
function wordChar(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}_-]/u.test(c);
}

/** `text` with each standalone occurrence of `id` replaced by `<id>`. */
function foldId(text: string, id: string): string {
  let out = "";
  let from = 0;
  for (let at = text.indexOf(id); at !== -1; at = text.indexOf(id, at + 1)) {
    if (at < from || wordChar(text[at - 1]) || wordChar(text[at + id.length])) continue;
    out += text.slice(from, at) + "<id>";
    from = at + id.length;
  }
  return out + text.slice(from);
}

/**
 * The shape of an error message, so that failures of one kind count
 * together whatever record they hit: the record's origin
 * (` (orders[0]@28)`) is dropped; the order id that ends our own messages,
 * the record's own order id and key (`ids`) and ids in the `ORD-00017`
 * style become `<id>`; and numbers (NaN and
 * Infinity too) become `#`. Only the first {@linkcode MAX_SHAPE_CHARS}
 * characters are read.
 *
 * @example
 * ```ts
 * import { messageShape } from "./message_shape.ts";
 * messageShape("price must be above 0: got -84.77"); // "price must be above #: got #"
 * messageShape("product is empty for ORD-003223"); // "product is empty for <id>"
 * ```
 */
export function messageShape(
  message: string,
  ids: readonly (string | null | undefined)[] = [],
): string {
  let text = message.length > MAX_SHAPE_CHARS ? `${message.slice(0, MAX_SHAPE_CHARS)}...` : message;
  text = text.replace(/ \([^\s()]{1,300}\[-?\d+\]@-?\d+\)/g, "").replace(ENDS_WITH_ID, "$1<id>");
  // Longest first, so an id that contains another is folded whole.
  const own = ids.filter((id): id is string => typeof id === "string" && id.trim().length >= 2)
    .filter((id) => !/^-?\d+(\.\d+)?$/.test(id)).sort((a, b) => b.length - a.length);
  for (const id of own) text = foldId(text, id);
  return text
    .replace(/(?<![\p{L}\p{N}_-])\p{L}[\p{L}\p{N}]*-\d{3,}(?![\p{L}\p{N}_-])/gu, "<id>")
    .replace(/(?<![\w.-])-?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|NaN|Infinity)(?![\w.])/gi, "#");
}

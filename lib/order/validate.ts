/**
 * Business validation of decoded orders. A validation failure is permanent:
 * the record goes to the DLQ at once and is never retried.
 *
 * @module
 */
import { PipelineError } from "../errors.ts";
import type { Order, RecordOrigin } from "./codec.ts";

/** Default upper bound for a sane price, in dollars. */
export const DEFAULT_MAX_PRICE = 100_000;

/** An order that decoded but breaks a business rule. Permanent: never retried. */
export class ValidationError extends PipelineError {
  override name = "ValidationError";
  /** The offending field. */
  readonly field: keyof Order;
  /** Where the record came from, when known. */
  readonly origin: RecordOrigin;

  constructor(field: keyof Order, message: string, origin: RecordOrigin = {}) {
    super(message, { errorType: "validation" });
    this.field = field;
    this.origin = origin;
  }
}

/**
 * Checks an order: `orderId` and `product` non-empty, `price` finite, above 0
 * and at most `maxPrice`. Throws {@linkcode ValidationError} naming the field.
 *
 * @example
 * ```ts
 * import { validateOrder } from "./validate.ts";
 * validateOrder({ orderId: "ORD-00001", product: "Mouse", price: 29.99 }); // passes
 * ```
 */
export function validateOrder(
  order: Order,
  maxPrice: number = DEFAULT_MAX_PRICE,
  origin: RecordOrigin = {},
): void {
  if (order.orderId.trim() === "") {
    throw new ValidationError("orderId", "orderId is empty", origin);
  }
  if (order.product.trim() === "") {
    throw new ValidationError("product", `product is empty for ${order.orderId}`, origin);
  }
  if (!Number.isFinite(order.price)) {
    throw new ValidationError("price", `price is not a finite number: ${order.price}`, origin);
  }
  if (order.price <= 0) {
    throw new ValidationError("price", `price must be above 0: got ${order.price}`, origin);
  }
  if (order.price > maxPrice) {
    throw new ValidationError(
      "price",
      `price ${order.price} is above the maximum ${maxPrice}`,
      origin,
    );
  }
}

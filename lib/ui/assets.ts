/**
 * The files the page loads, served by the dashboard itself so it works
 * offline: uPlot's script and stylesheet from its npm package (imported as
 * text, so Deno's npm cache and `deno compile` carry them), and our own.
 *
 * @module
 */
import uplotJs from "uplot/dist/uPlot.iife.min.js" with { type: "text" };
import uplotCss from "uplot/dist/uPlot.min.css" with { type: "text" };
import appJs from "./assets/app.js" with { type: "text" };
import appCss from "./assets/app.css" with { type: "text" };

/** The tab's icon: the page's logo, a blue-to-teal tile. */
const FAVICON =
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#5b9cff"/><stop offset="1" stop-color="#2dd4bf"/></linearGradient></defs><rect width="32" height="32" rx="8" fill="url(#g)"/></svg>`;

/** A file the page loads. */
export interface Asset {
  type: string;
  body: string;
}

/** The page's files by path. */
export const ASSETS: ReadonlyMap<string, Asset> = new Map([
  ["/assets/uplot.js", { type: "text/javascript; charset=utf-8", body: uplotJs }],
  ["/assets/uplot.css", { type: "text/css; charset=utf-8", body: uplotCss }],
  ["/assets/app.js", { type: "text/javascript; charset=utf-8", body: appJs }],
  ["/assets/app.css", { type: "text/css; charset=utf-8", body: appCss }],
  ["/assets/favicon.svg", { type: "image/svg+xml", body: FAVICON }],
]);

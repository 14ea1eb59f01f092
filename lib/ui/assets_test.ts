import assert from "node:assert/strict";
import { ASSETS } from "./assets.ts";

Deno.test("ASSETS carries uPlot from its npm package and the page's own files", () => {
  assert.deepEqual([...ASSETS.keys()], [
    "/assets/uplot.js",
    "/assets/uplot.css",
    "/assets/app.js",
    "/assets/app.css",
    "/assets/favicon.svg",
  ]);
  assert.match(ASSETS.get("/assets/uplot.js")!.body, /var uPlot=function/);
  assert.match(ASSETS.get("/assets/uplot.css")!.body, /\.uplot/);
  assert.match(ASSETS.get("/assets/app.js")!.body, /new EventSource\("\/events"\)/);
  // Nothing is loaded from elsewhere (uPlot's licence comment names its home page).
  const remote = /(src|href)=["']?https?:|url\(["']?https?:|import\(["']https?:|fetch\(["']https?:/;
  for (const { body } of ASSETS.values()) assert.ok(!remote.test(body));
});

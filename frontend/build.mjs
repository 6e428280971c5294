// Build the browser assets the Django app serves (run after `npm ci`):
//   node frontend/build.mjs
// 1. copies vendored files from node_modules into webapp/static/vendor/
//    (htmx, and the bpmn-js style sheets with their icon font);
// 2. bundles every frontend/entries/<name>.js into webapp/static/bundles/<name>.js
//    (ES modules in, one minified IIFE out, so pages load it with a plain <script defer>).
// Both output folders are generated and git-ignored.
import { cpSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const vendor = join(root, "webapp", "static", "vendor");
const bundles = join(root, "webapp", "static", "bundles");
const entries = join(root, "frontend", "entries");

const copies = [
  ["htmx.org/dist/htmx.min.js", "htmx.min.js"],
  ["bpmn-js/dist/assets/diagram-js.css", "bpmn/diagram-js.css"],
  ["bpmn-js/dist/assets/bpmn-js.css", "bpmn/bpmn-js.css"],
  ["bpmn-js/dist/assets/bpmn-font/css", "bpmn/bpmn-font/css"],
  ["bpmn-js/dist/assets/bpmn-font/font", "bpmn/bpmn-font/font"],
];

function copyVendor() {
  rmSync(vendor, { recursive: true, force: true });
  for (const [from, to] of copies) {
    const target = join(vendor, to);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(join(modules, from), target, { recursive: true });
  }
}

async function bundleEntries() {
  rmSync(bundles, { recursive: true, force: true });
  const names = readdirSync(entries).filter((name) => name.endsWith(".js"));
  if (names.length === 0) return [];
  await build({
    entryPoints: names.map((name) => join(entries, name)),
    outdir: bundles,
    bundle: true,
    format: "iife",
    minify: true,
    target: ["es2020"],
    legalComments: "eof",
    logLevel: "warning",
  });
  return names;
}

copyVendor();
const built = await bundleEntries();
console.log(
  `frontend: vendor copied to ${vendor}; bundles: ${built.join(", ") || "none"}`,
);

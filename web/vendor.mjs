// Copies the release files named under "vendor" in package.json from node_modules (installed by `npm ci` from
// package-lock.json) into graph_service/static/vendor/<package>/, and writes MANIFEST.json there: each package's
// version and tarball integrity as the lock pins them, and the SHA-256 of every file copied.
// Run through scripts/vendor_assets.sh; tests/unit/test_vendored_assets.py checks the result against the lock.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const web = dirname(fileURLToPath(import.meta.url));
const target = join(web, "..", "graph_service", "static", "vendor");
const pkg = JSON.parse(readFileSync(join(web, "package.json"), "utf8"));
const lock = JSON.parse(readFileSync(join(web, "package-lock.json"), "utf8"));

rmSync(target, { recursive: true, force: true });
const manifest = {};
for (const [name, files] of Object.entries(pkg.vendor)) {
  const locked = lock.packages[`node_modules/${name}`];
  if (!locked) throw new Error(`${name} is not in package-lock.json: run npm install in web/ first`);
  const installed = JSON.parse(readFileSync(join(web, "node_modules", name, "package.json"), "utf8"));
  if (installed.version !== locked.version) {
    throw new Error(`node_modules has ${name}@${installed.version}, the lock pins ${locked.version}: run npm ci in web/`);
  }
  mkdirSync(join(target, name), { recursive: true });
  const entry = { version: locked.version, integrity: locked.integrity, files: {} };
  for (const from of files) {
    const source = join(web, "node_modules", name, from);
    copyFileSync(source, join(target, name, basename(from)));
    const sha256 = createHash("sha256").update(readFileSync(source)).digest("hex");
    entry.files[basename(from)] = { from, sha256 };
  }
  manifest[name] = entry;
}
writeFileSync(join(target, "MANIFEST.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log(`vendored ${Object.keys(manifest).join(", ")} into ${target}`);

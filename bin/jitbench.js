#!/usr/bin/env node
// The composition root: the CLI (TypeScript compiled to dist/ by `npm run build`, which npm
// install's prepare step runs) with the built-in scenarios and backends, which it loads as
// plugins exactly like a user's --plugin file.
import { existsSync } from 'node:fs';
const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('jitbench: not built yet: run `npm run build` (npm install does it)\n');
  process.exit(1);
}
const builtins = ['../dist/scenarios/index.js', '../dist/backends/index.js'].map((p) => new URL(p, import.meta.url).href);
const { main } = await import(entry.href);
await main(process.argv.slice(2), builtins);

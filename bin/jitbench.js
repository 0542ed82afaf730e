#!/usr/bin/env node
// The CLI is TypeScript compiled to dist/ by `npm run build` (run by npm install's prepare step).
import { existsSync } from 'node:fs';
const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('jitbench: not built yet: run `npm run build` (npm install does it)\n');
  process.exit(1);
}
await import(entry.href);

#!/usr/bin/env node
// The differential fuzzer's composition root: registers the built-in EVM engines (by loading the
// built-in backends plugin), then runs the fuzzer's command line (src/evm/fuzz/main.ts).
import { existsSync } from 'node:fs';
const entry = new URL('../dist/src/evm/fuzz/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('jitbench-fuzz: not built yet: run `npm run build`\n');
  process.exit(1);
}
await import(new URL('../dist/backends/index.js', import.meta.url).href);
const { fuzzMain } = await import(entry.href);
fuzzMain(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`fuzz: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);

/**
 * `npm run bench:evm-compile [-- --functions N]`: how long evm-native takes to compile a large
 * contract, by phase, in a fresh process (cold binaryen, as in a benchmark cell). The contract is
 * generated Solidity (N external functions, each a loop with multiply, xor, shift, modulo and a
 * branch), compiled by solc with the scenarios' pinned settings; N = 90 gives ~12 KB of runtime
 * code, N = 150 ~20 KB.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SOLC_SETTINGS, compileContract } from '../../scenarios/evm/solc-compile.js';
import { codeAnalysis } from '../../src/evm/analysis.js';
import { hexToBytes } from '../../src/evm/hex.js';
import { compileNative, loadEvmNative } from './index.js';

function source(functions: number): string {
  const fns: string[] = [];
  for (let i = 0; i < functions; i++) {
    fns.push(`
    function f${i}(uint256 a, uint256 b) external pure returns (uint256 r) {
        unchecked {
            r = a;
            for (uint256 k = 0; k < b; k++) {
                r = (r * ${i * 7 + 3} + k) ^ (r >> ${(i % 13) + 1});
                if (r % ${i + 2} == 0) r += ${i * 11 + 5}; else r -= b;
            }
            r = r / (b + ${i + 1}) + (a << ${i % 7});
        }
    }`);
  }
  return `// SPDX-License-Identifier: MIT\npragma solidity ^0.8.20;\ncontract Big {${fns.join('')}\n}\n`;
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--functions');
  const functions = i > 0 ? Number(process.argv[i + 1]) : 150;
  if (!Number.isInteger(functions) || functions < 1 || functions > 1000) {
    process.stderr.write(`invalid --functions '${process.argv[i + 1]}': expected an integer in 1..1000\n`);
    process.exit(2);
  }
  const file = join(mkdtempSync(join(tmpdir(), 'jitbench-big-')), 'Big.sol');
  writeFileSync(file, source(functions));
  const artifact = compileContract(file, 'Big', { ...DEFAULT_SOLC_SETTINGS, pipeline: 'legacy' });
  const code = hexToBytes(artifact.runtime);
  const t0 = performance.now();
  await loadEvmNative();
  const loadMs = performance.now() - t0;
  const nc = compileNative(code, 'cancun');
  const s = nc.module.stats;
  const p = nc.phases;
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  process.stdout.write(
    `${functions} functions: ${code.length} bytes of runtime code, ${s.blocks} live blocks (${s.nativeBlocks} native), ${s.wasmBytes} bytes of wasm\n` +
      `binaryen load ${ms(loadMs)} (not compile time)\n` +
      `dynamic jumps ${s.dynamicJumps}, ${s.resolvedJumps} resolved, ${s.unreachedJumps} never reached\n` +
      `compile ${ms(p.totalMs)}: analysis ${ms(p.analysisMs)}, build ${ms(p.buildMs)} (jump targets ${ms(s.jumpAnalysisMs)}), optimize ${ms(p.optimizeMs)}, emit ${ms(p.emitMs)}, V8 compile ${ms(p.v8CompileMs)}, instantiate ${ms(p.instantiateMs)}\n`,
  );
  // the same compile again in this process: binaryen's own code is then warm (as in a long-lived
  // compiler), which a benchmark cell's fresh process never has
  const { compileEvm } = await import('./compile.js');
  const an = codeAnalysis(code, 'cancun');
  for (let r = 1; r <= 3; r++) {
    const t = performance.now();
    const mod = compileEvm(code, an, 'cancun', 0);
    new WebAssembly.Module(mod.binary);
    process.stdout.write(`warm compile ${r}: ${ms(performance.now() - t)} (build ${ms(mod.stats.buildMs)}, jump targets ${ms(mod.stats.jumpAnalysisMs)}, emit ${ms(mod.stats.emitMs)})\n`);
  }
}

await main();

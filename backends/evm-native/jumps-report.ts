/**
 * `npm run report:evm-jumps`: how many dynamic jumps evm-native resolves (compiles as compares
 * with their proven destinations, src/evm/jump-targets.ts) in the code of every EVM workload: the
 * called contract and the other contracts of its pre-state, each distinct code once.
 */
import { corpusScenarioIds } from '../../scenarios/evm/corpus/index.js';
import { evmScenarioCode } from '../../scenarios/evm/index.js';
import { EVM_WORKLOADS } from '../../scenarios/evm/workloads.js';
import { WORKLOAD_FORK } from '../../scenarios/evm/call.js';
import { bytesToHex } from '../../src/evm/hex.js';
import { compileNative, loadEvmNative } from './index.js';

async function main(): Promise<void> {
  await loadEvmNative();
  const ids = [...EVM_WORKLOADS.map((w) => `evm:${w.id}`), ...corpusScenarioIds()];
  const seen = new Set<string>();
  let dynamic = 0;
  let resolved = 0;
  let unreached = 0;
  const rows: string[] = [];
  for (const id of ids) {
    const { code, others } = evmScenarioCode(id);
    for (const [name, c] of [[id, code] as const, ...others.map((o) => [`${id} ${o.address.slice(0, 8)}..`, o.runtime] as const)]) {
      const key = bytesToHex(c);
      if (seen.has(key)) continue;
      seen.add(key);
      const s = compileNative(c, WORKLOAD_FORK).module.stats;
      dynamic += s.dynamicJumps;
      resolved += s.resolvedJumps;
      unreached += s.unreachedJumps;
      const reachable = s.dynamicJumps - s.unreachedJumps;
      const share = reachable > 0 ? `${((100 * s.resolvedJumps) / reachable).toFixed(0)}%` : '-';
      rows.push(`${name.padEnd(36)} ${String(c.length).padStart(6)} B ${String(s.dynamicJumps).padStart(5)} ${String(s.unreachedJumps).padStart(5)} ${String(s.resolvedJumps).padStart(5)} ${share.padStart(5)}   ${s.jumpAnalysisMs.toFixed(1)} ms`);
    }
  }
  process.stdout.write(`dynamic jumps (target not pushed in the block): how many, never reached, resolved, resolved share of the reachable; analysis time\n`);
  process.stdout.write(`${'code (workload, other account)'.padEnd(36)}   size   dyn  dead resol share   analysis\n${rows.join('\n')}\n`);
  process.stdout.write(`all: ${resolved} of ${dynamic - unreached} reachable dynamic jumps resolved (${((100 * resolved) / (dynamic - unreached)).toFixed(1)}%); ${unreached} more never reached\n`);
}

await main();

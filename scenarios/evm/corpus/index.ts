/**
 * The corpus: EVM workloads built from code other people wrote (npm packages' Solidity compiled
 * here, or their published bytecode), deployed into a pre-state by their constructors and set-up
 * transactions. `evm:corpus` runs them all; the report shows them as one group.
 */
import { CRYPTO_WORKLOADS } from './crypto.js';
import { MATH_WORKLOADS } from './math.js';
import { TEXT_WORKLOADS } from './text.js';
import { UNISWAP_WORKLOADS } from './uniswap.js';
import { TOKEN_WORKLOADS } from './tokens.js';
import type { CorpusWorkload } from './types.js';
import { CORPUS_ALIAS, CORPUS_ENGINE_CHECKED, CORPUS_EXTRA_IDS } from './ids.js';

export { CORPUS_ALIAS };

export const CORPUS_WORKLOADS: readonly CorpusWorkload[] = [...TOKEN_WORKLOADS, ...CRYPTO_WORKLOADS, ...MATH_WORKLOADS, ...TEXT_WORKLOADS, ...UNISWAP_WORKLOADS];

export function findCorpusWorkload(id: string): CorpusWorkload | undefined {
  return CORPUS_WORKLOADS.find((w) => w.id === id);
}

/** What `evm:corpus` stands for: every corpus workload (legacy), and the large ones also with viaIR. */
export function corpusScenarioIds(): string[] {
  return [...CORPUS_WORKLOADS.map((w) => `evm:${w.id}`), ...CORPUS_EXTRA_IDS];
}

/** A scenario list with `evm:corpus` replaced by the corpus ids. */
export function expandCorpusAlias(ids: readonly string[]): string[] {
  return ids.flatMap((id) => (id === CORPUS_ALIAS ? corpusScenarioIds() : [id]));
}

export { CORPUS_ENGINE_CHECKED };

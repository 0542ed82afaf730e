/**
 * The corpus's scenario ids as plain data (no compiling, no imports of the workloads), for the
 * harness code that tells from an id alone what it is.
 */

/** The alias that expands to every corpus scenario. */
export const CORPUS_ALIAS = 'evm:corpus';

/** Corpus workloads without an independent answer (checked by the agreement of engines only). */
export const CORPUS_ENGINE_CHECKED: ReadonlySet<string> = new Set(['evm:solady-expln', 'evm:univ3-swap']);

/** Ids `evm:corpus` runs besides each workload's legacy id: the large contracts with the viaIR pipeline too. */
export const CORPUS_EXTRA_IDS: readonly string[] = ['evm:oz-governor@viaIR'];

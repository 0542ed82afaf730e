import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { UsageError } from '../util/errors.js';
import { MiB, readFileLimited } from '../util/read-limited.js';
import { SCHEMA_VERSION, type ResultsDocument } from './document.js';

const SCHEMA_PATH = fileURLToPath(new URL('../../../src/results/schema/results.schema.json', import.meta.url));

let validator: ReturnType<InstanceType<typeof Ajv.default>['compile']> | undefined;

/** A validator for the committed JSON Schema of the results document. */
export function resultsValidator() {
  if (!validator) {
    const ajv = new Ajv.default({ allErrors: true, strict: false });
    addFormats.default(ajv);
    validator = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')));
  }
  return validator;
}

/**
 * Largest results file read. V8 cannot hold a string of more than 2^29 - 24 characters (~512 MiB)
 * at all, and parsing and validating takes a few times the file in heap; a run stores at most
 * 50,000 samples per fork (~1 MB of JSON), so even a large sweep stays far below this.
 */
export const MAX_RESULTS_BYTES = 256 * MiB;

/**
 * A version 1 document as version 2: the raw EVM bytecode of `--code` (plan.evmCode) became the
 * scenarios' resolved cases (plan.cases); nothing else changed.
 */
export function upgradeFromVersion1(doc: Record<string, unknown>): Record<string, unknown> {
  const { evmCode, ...plan } = (doc.plan ?? {}) as Record<string, unknown>;
  return { ...doc, schemaVersion: 2, plan: { ...plan, ...(evmCode !== undefined ? { cases: evmCode } : {}) } };
}

/**
 * Reads a results file (schemaVersion 2, or 1, upgraded on reading). A missing or oversize file, bad JSON, another schemaVersion or a
 * document the schema rejects is a UsageError naming the file and the problem.
 */
export function loadResults(path: string): ResultsDocument {
  let text: string;
  try {
    text = readFileLimited(path, MAX_RESULTS_BYTES, 'results file').toString('utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read results file '${path}': ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`results file '${path}' is not JSON: ${(e as Error).message}`);
  }
  const version = (doc as { schemaVersion?: unknown })?.schemaVersion;
  if (version === 1) doc = upgradeFromVersion1(doc as Record<string, unknown>);
  else if (version !== SCHEMA_VERSION) {
    throw new UsageError(`results file '${path}' has schemaVersion ${JSON.stringify(version)}: this jitbench reads schemaVersion ${SCHEMA_VERSION} and 1`);
  }
  const validate = resultsValidator();
  if (!validate(doc)) {
    const first = validate.errors?.[0];
    throw new UsageError(`results file '${path}' does not match the results schema: ${first?.instancePath || '/'} ${first?.message ?? ''}`.trim());
  }
  return doc as ResultsDocument;
}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { UsageError } from '../util/errors.js';
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
 * Reads a results file. A missing file, bad JSON, another schemaVersion or a document the
 * schema rejects is a UsageError naming the file and the problem.
 */
export function loadResults(path: string): ResultsDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read results file '${path}': no such file`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`results file '${path}' is not JSON: ${(e as Error).message}`);
  }
  const version = (doc as { schemaVersion?: unknown })?.schemaVersion;
  if (version !== SCHEMA_VERSION) {
    throw new UsageError(`results file '${path}' has schemaVersion ${JSON.stringify(version)}: this jitbench reads schemaVersion ${SCHEMA_VERSION}`);
  }
  const validate = resultsValidator();
  if (!validate(doc)) {
    const first = validate.errors?.[0];
    throw new UsageError(`results file '${path}' does not match the results schema: ${first?.instancePath || '/'} ${first?.message ?? ''}`.trim());
  }
  return doc as ResultsDocument;
}

/**
 * Child process of the gl probe: tries to create a WebGL context exactly as a cell would (same
 * module, same DISPLAY) and prints one JSON line. A native crash here cannot take the CLI down.
 */
import { createContext, destroyContext } from './gl-context.js';

const a = createContext();
process.stdout.write(`${JSON.stringify({ ok: Boolean(a.gl), reason: a.reason, strings: a.strings, createMs: a.createMs })}\n`);
destroyContext(a.gl);
process.exit(0);

// Entry of the block-filter worker (gram-workers.ts): a worker thread does not inherit the
// TypeScript loader the main thread registered (bin/osprey.js), so it registers its own.
import { register } from 'tsx/esm/api';

register();
await import('./gram-worker.ts');

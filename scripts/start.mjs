#!/usr/bin/env node
// `npm start`: builds the console if it is missing, then runs `osprey serve` (with any extra
// arguments: `npm start -- --port 5000`) in this same process.
// One process on purpose: npm forwards SIGTERM/SIGINT to its script's process only. The former
// `sh -c "build-console && tsx src/main.ts serve"` chain put a shell (and tsx's own child) between
// npm and the server, so the shell died and the server was left running, holding the data directory.
// package.json runs this with `exec`, because dash (Debian's sh) does not exec a lone command itself.
import { buildConsole } from './build-console.mjs';

await buildConsole({ ifMissing: true });
process.argv.splice(2, 0, 'serve');
await import('../bin/osprey.js');

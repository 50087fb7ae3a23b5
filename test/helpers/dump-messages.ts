/** Prints every stored log message of a stopped server's chDB directory (own process: one dir per process). */
import { ChdbEngine } from '../../src/store/telemetry/engine.ts';

const engine = await ChdbEngine.open({ path: process.argv[2] });
const rows = await engine.query<{ message: string }>('SELECT message FROM log_events');
await engine.close();
for (const r of rows) console.log(r.message);

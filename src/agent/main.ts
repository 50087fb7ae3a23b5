/**
 * The agent's own entry point: `osprey agent …` runs this, bundled into dist/agent.mjs
 * (scripts/build-agent.mjs), so the agent does not carry the TypeScript loader or the server's
 * storage engines — about 40 MB less resident memory and no loader thread.
 */
import { Command } from 'commander';
import { registerAgentCommand } from '../cli/agent.ts';

const program = new Command().name('osprey').showHelpAfterError();
registerAgentCommand(program);
await program.parseAsync(process.argv);

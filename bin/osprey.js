#!/usr/bin/env node
// `osprey agent` runs the bundled agent (plain JavaScript, rebuilt here when its sources changed);
// every other command runs the TypeScript sources directly through tsx, with no separate build step.
if (process.argv[2] === 'agent') {
  const { buildAgent, AGENT_BUNDLE } = await import('../scripts/build-agent.mjs');
  await buildAgent({ ifStale: true });
  await import(AGENT_BUNDLE);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}

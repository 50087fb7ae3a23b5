#!/usr/bin/env node
// `osprey agent` runs the bundled agent (plain JavaScript, rebuilt here when its sources changed);
// every other command runs the TypeScript sources directly through tsx, with no separate build step.
if (process.argv[2] === 'agent') {
  // The agent's footprint (issue 19): V8's young generation stays at its first 1 MB semi-spaces
  // instead of growing to 16 MB each — the agent allocates little, and this halves what it keeps.
  // Set before anything is allocated; it is one of the few heap flags V8 takes after start.
  const v8 = await import('node:v8');
  for (const flag of (process.env.OSPREY_AGENT_V8_FLAGS ?? '--semi-space-growth-factor=1').split(/\s+/).filter(Boolean)) v8.setFlagsFromString(flag);
  const { buildAgent, AGENT_BUNDLE } = await import('../scripts/build-agent.mjs');
  await buildAgent({ ifStale: true });
  await import(AGENT_BUNDLE);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}

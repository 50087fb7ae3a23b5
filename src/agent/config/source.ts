/**
 * Where the agent's config comes from: a file, or `ssm:<parameter name>` — a Parameter Store
 * parameter (Osprey's or AWS's), as `amazon-cloudwatch-agent-ctl -c ssm:<name>` fetches it.
 */
import { AgentConfigError, checkAgentConfig, loadAgentConfig } from './load.ts';
import type { AgentConfigJson } from './schema.ts';

export interface SourceOptions {
  endpoint?: string;
  region: string;
}

export async function readAgentConfig(source: string, opts: SourceOptions): Promise<AgentConfigJson> {
  if (!source.startsWith('ssm:')) return loadAgentConfig(source);
  const name = source.slice('ssm:'.length);
  const { SSMClient, GetParameterCommand } = await import('@aws-sdk/client-ssm');
  const ssm = new SSMClient({ region: opts.region, ...(opts.endpoint ? { endpoint: opts.endpoint } : {}) });
  let text: string | undefined;
  try {
    text = (await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }))).Parameter?.Value;
  } catch (e) {
    throw new AgentConfigError([`Cannot read the config parameter ${name}: ${(e as Error).name}: ${(e as Error).message}`]);
  } finally {
    ssm.destroy();
  }
  let json: unknown;
  try {
    json = JSON.parse(text ?? '');
  } catch (e) {
    throw new AgentConfigError([`The config parameter ${name} is not valid JSON: ${(e as Error).message}`]);
  }
  return checkAgentConfig(json);
}

/**
 * The `aws` block and `origin` of a segment: AWS SDK call details from `rpc.*` / `aws.*` span
 * attributes, and where the service runs from the resource (`cloud.platform`, `cloud.account.id`,
 * `host.id`, `cloud.availability_zone`, `telemetry.sdk.*`).
 */
import type { Attributes, OtlpSpan } from '../../../protocol/otlp/types.ts';

const ORIGINS: Readonly<Record<string, string>> = {
  aws_ec2: 'AWS::EC2::Instance',
  aws_ecs: 'AWS::ECS::Container',
  aws_eks: 'AWS::EKS::Container',
  aws_elastic_beanstalk: 'AWS::ElasticBeanstalk::Environment',
  aws_app_runner: 'AWS::AppRunner::Service',
  aws_lambda: 'AWS::Lambda::Function',
};

export function originOf(resource: Attributes): string | undefined {
  const provider = resource['cloud.provider'];
  if (provider !== undefined && provider !== 'aws') return undefined;
  const platform = resource['cloud.platform'];
  if (platform === 'aws_ecs') {
    const launch = resource['aws.ecs.launchtype'];
    return launch === 'ec2' ? 'AWS::ECS::EC2' : launch === 'fargate' ? 'AWS::ECS::Fargate' : ORIGINS.aws_ecs;
  }
  return typeof platform === 'string' && Object.hasOwn(ORIGINS, platform) ? ORIGINS[platform] : undefined;
}

const s = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function awsBlock(span: OtlpSpan, resource: Attributes | undefined): Record<string, unknown> | undefined {
  const a = span.attributes;
  const out: Record<string, unknown> = {};
  if (a['rpc.system'] === 'aws-api') {
    const operation = s(a['rpc.method']);
    if (operation) out.operation = operation;
    const requestId = s(a['aws.request_id']) ?? s(a['aws.requestId']);
    if (requestId) out.request_id = requestId;
    const region = s(a['aws.region']) ?? s(a['cloud.region']);
    if (region) out.region = region;
    const tables = a['aws.dynamodb.table_names'];
    const table = Array.isArray(tables) ? s(tables[0]) : s(a['aws.table_name']);
    if (table) { out.table_name = table; out.resource_names = [table]; }
    const queue = s(a['aws.sqs.queue_url']) ?? s(a['messaging.url']);
    if (queue) out.queue_url = queue;
  }
  if (resource) {
    const account = s(resource['cloud.account.id']);
    if (account) out.account_id = account;
    const instance = s(resource['host.id']);
    const zone = s(resource['cloud.availability_zone']);
    if (resource['cloud.platform'] === 'aws_ec2' && (instance || zone)) {
      out.ec2 = { ...(instance ? { instance_id: instance } : {}), ...(zone ? { availability_zone: zone } : {}) };
    }
    const sdk = s(resource['telemetry.sdk.name']);
    if (sdk) out.xray = { sdk: `${sdk} for ${s(resource['telemetry.sdk.language']) ?? 'unknown'}`, sdk_version: s(resource['telemetry.sdk.version']) ?? '' };
  }
  return Object.keys(out).length ? out : undefined;
}

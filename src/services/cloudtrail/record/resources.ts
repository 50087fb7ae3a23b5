/**
 * The resources a call names, for the record's `resources` and LookupEvents' ResourceType /
 * ResourceName filters: read from well-known input members per service. AWS fills these for the
 * resource types it tracks; these are Osprey's services' main ones.
 */
import type { RecordResource } from './types.ts';

interface Scope { partition: string; account: string; region: string }
type Extract = (input: Record<string, unknown>, s: Scope, operation: string) => RecordResource[];

const str = (v: unknown): string[] => (typeof v === 'string' && v !== '' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const res = (type: string, name: string, ARN: string, s: Scope): RecordResource => ({ ARN, accountId: s.account, type, name });

const logGroup = (name: string, s: Scope) =>
  res('AWS::Logs::LogGroup', name, name.startsWith('arn:') ? name : `arn:${s.partition}:logs:${s.region}:${s.account}:log-group:${name}`, s);

const EXTRACTORS: Record<string, Extract> = {
  logs: (i, s) => [...str(i.logGroupName), ...str(i.logGroupIdentifier), ...str(i.logGroupNames)].map((n) => logGroup(n, s)),
  cloudwatch: (i, s, op) => [
    ...[...str(i.AlarmName), ...str(i.AlarmNames)].map((n) => res('AWS::CloudWatch::Alarm', n, `arn:${s.partition}:cloudwatch:${s.region}:${s.account}:alarm:${n}`, s)),
    ...[...str(i.DashboardName), ...str(i.DashboardNames)].map((n) => res('AWS::CloudWatch::Dashboard', n, `arn:${s.partition}:cloudwatch::${s.account}:dashboard/${n}`, s)),
    ...(op.endsWith('MetricData') || op === 'GetMetricStatistics'
      ? str(i.Namespace).map((n) => res('AWS::CloudWatch::Metric', n, `arn:${s.partition}:cloudwatch:${s.region}:${s.account}:metric/${n}`, s))
      : []),
  ],
  events: (i, s, op) => {
    const bus = typeof i.EventBusName === 'string' && i.EventBusName !== '' ? i.EventBusName : 'default';
    const busArn = (b: string) => (b.startsWith('arn:') ? b : `arn:${s.partition}:events:${s.region}:${s.account}:event-bus/${b}`);
    if (op === 'PutEvents') {
      const buses = Array.isArray(i.Entries) ? i.Entries.map((e) => String((e as { EventBusName?: string }).EventBusName || 'default')) : ['default'];
      return [...new Set(buses)].map((b) => res('AWS::Events::EventBus', b, busArn(b), s));
    }
    if (/EventBus$/.test(op)) return str(i.Name).map((n) => res('AWS::Events::EventBus', n, busArn(n), s));
    const rules = /Rule$|RuleNames|^(Enable|Disable)Rule/.test(op) ? str(i.Name) : str(i.Rule);
    const prefix = bus === 'default' ? '' : `${bus.split('/').at(-1)}/`;
    return rules.map((n) => res('AWS::Events::Rule', n, `arn:${s.partition}:events:${s.region}:${s.account}:rule/${prefix}${n}`, s));
  },
  sns: (i, s, op) => {
    const arns = op === 'CreateTopic' ? str(i.Name).map((n) => `arn:${s.partition}:sns:${s.region}:${s.account}:${n}`) : str(i.TopicArn);
    return arns.map((a) => res('AWS::SNS::Topic', a, a, s));
  },
  ssm: (i, s) => [...str(i.Name), ...str(i.Names)].map((n) =>
    res('AWS::SSM::Parameter', n, `arn:${s.partition}:ssm:${s.region}:${s.account}:parameter${n.startsWith('/') ? '' : '/'}${n}`, s)),
  scheduler: (i, s, op) => (/ScheduleGroup$/.test(op) ? [] : str(i.Name).map((n) =>
    res('AWS::Scheduler::Schedule', n, `arn:${s.partition}:scheduler:${s.region}:${s.account}:schedule/${String(i.GroupName ?? 'default')}/${n}`, s))),
  cloudtrail: (i, s) => [...str(i.Name), ...str(i.TrailName)].map((n) =>
    res('AWS::CloudTrail::Trail', n, n.startsWith('arn:') ? n : `arn:${s.partition}:cloudtrail:${s.region}:${s.account}:trail/${n}`, s)),
  schemas: (i, s) => str(i.RegistryName).map((n) => res('AWS::EventSchemas::Registry', n, `arn:${s.partition}:schemas:${s.region}:${s.account}:registry/${n}`, s)),
};

export function resourcesOf(service: string, operation: string, input: unknown, scope: Scope): RecordResource[] {
  const extract = EXTRACTORS[service];
  if (!extract || typeof input !== 'object' || input === null) return [];
  return extract(input as Record<string, unknown>, scope, operation);
}

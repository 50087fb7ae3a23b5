"""Drives EventBridge, EventBridge Scheduler and Schemas operations with the Debian boto3 1.26 client.

Usage: python3 eventbridge_boto3.py <endpoint-url>. Prints one JSON object: what each call returned
(the parts the test asserts) or the error code it raised.
"""
import json
import sys

import boto3

url = sys.argv[1]
kw = dict(endpoint_url=url, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
ev = boto3.client('events', **kw)
sch = boto3.client('scheduler', **kw)
reg = boto3.client('schemas', **kw)
out = {}


def code(f):
    try:
        f()
        return None
    except Exception as e:  # noqa: BLE001 - the test asserts the AWS error code
        return e.response['Error']['Code']


bus_arn = ev.create_event_bus(Name='py-bus')['EventBusArn']
out['bus'] = ev.describe_event_bus(Name='py-bus')['Arn'] == bus_arn
out['buses'] = [b['Name'] for b in ev.list_event_buses(NamePrefix='py')['EventBuses']]
ev.put_permission(EventBusName='py-bus', Action='events:PutEvents', Principal='111111111111', StatementId='partner')
out['policy'] = json.loads(ev.describe_event_bus(Name='py-bus')['Policy'])['Statement'][0]['Sid']
ev.remove_permission(EventBusName='py-bus', StatementId='partner')
rule_arn = ev.put_rule(Name='py-rule', EventBusName='py-bus', EventPattern=json.dumps({'source': ['py']}), Tags=[{'Key': 'team', 'Value': 'obs'}])['RuleArn']
ev.disable_rule(Name='py-rule', EventBusName='py-bus')
out['disabled'] = ev.describe_rule(Name='py-rule', EventBusName='py-bus')['State']
ev.enable_rule(Name='py-rule', EventBusName='py-bus')
fn = 'arn:aws:lambda:us-east-1:000000000000:function:py'
ev.put_targets(Rule='py-rule', EventBusName='py-bus', Targets=[{'Id': 't1', 'Arn': fn, 'RetryPolicy': {'MaximumRetryAttempts': 3}}])
out['targets'] = [t['Id'] for t in ev.list_targets_by_rule(Rule='py-rule', EventBusName='py-bus')['Targets']]
out['by_target'] = ev.list_rule_names_by_target(TargetArn=fn, EventBusName='py-bus')['RuleNames']
out['rules'] = [r['Name'] for r in ev.list_rules(EventBusName='py-bus', NamePrefix='py')['Rules']]
ev.tag_resource(ResourceARN=rule_arn, Tags=[{'Key': 'env', 'Value': 'dev'}])
ev.untag_resource(ResourceARN=rule_arn, TagKeys=['team'])
out['tags'] = ev.list_tags_for_resource(ResourceARN=rule_arn)['Tags']
put = ev.put_events(Entries=[{'EventBusName': 'py-bus', 'Source': 'py', 'DetailType': 'T', 'Detail': '{"a":1}'}, {'Source': 'aws.ec2', 'DetailType': 'T', 'Detail': '{}'}])
out['put'] = [put['FailedEntryCount'], put['Entries'][1].get('ErrorCode')]
archive_arn = ev.create_archive(ArchiveName='py-archive', EventSourceArn=bus_arn, RetentionDays=1)['ArchiveArn']
out['archive'] = ev.describe_archive(ArchiveName='py-archive')['ArchiveArn'] == archive_arn
out['archives'] = [a['ArchiveName'] for a in ev.list_archives(NamePrefix='py')['Archives']]
ev.update_archive(ArchiveName='py-archive', Description='kept a day')
ev.start_replay(ReplayName='py-replay', EventSourceArn=archive_arn, EventStartTime=0, EventEndTime=2000000000, Destination={'Arn': bus_arn})
out['replay'] = ev.describe_replay(ReplayName='py-replay')['ReplayName']
out['replays'] = [r['ReplayName'] for r in ev.list_replays(NamePrefix='py')['Replays']]
out['cancel'] = code(lambda: ev.cancel_replay(ReplayName='py-replay'))
conn = ev.create_connection(Name='py-conn', AuthorizationType='API_KEY', AuthParameters={'ApiKeyAuthParameters': {'ApiKeyName': 'x-key', 'ApiKeyValue': 'secret'}})
out['conn'] = ev.describe_connection(Name='py-conn')['AuthParameters']
ev.update_connection(Name='py-conn', Description='d')
out['conns'] = [c['Name'] for c in ev.list_connections(NamePrefix='py')['Connections']]
dest = ev.create_api_destination(Name='py-dest', ConnectionArn=conn['ConnectionArn'], InvocationEndpoint='http://127.0.0.1:9/x', HttpMethod='POST')
out['dest'] = ev.describe_api_destination(Name='py-dest')['ApiDestinationArn'] == dest['ApiDestinationArn']
ev.update_api_destination(Name='py-dest', InvocationRateLimitPerSecond=5)
out['dests'] = [d['Name'] for d in ev.list_api_destinations(NamePrefix='py')['ApiDestinations']]
ev.delete_api_destination(Name='py-dest')
ev.deauthorize_connection(Name='py-conn')
ev.delete_connection(Name='py-conn')
out['pattern'] = ev.test_event_pattern(EventPattern='{"detail":{"a":[{"numeric":[">",0]}]}}', Event=json.dumps({'id': '1', 'account': '000000000000', 'source': 'py', 'time': '2026-01-01T00:00:00Z', 'region': 'us-east-1', 'resources': [], 'detail-type': 'T', 'detail': {'a': 1}}))['Result']
out['bad_pattern'] = code(lambda: ev.put_rule(Name='bad', EventPattern='{"a": [{"nope": 1}]}'))
ev.remove_targets(Rule='py-rule', EventBusName='py-bus', Ids=['t1'])
ev.delete_rule(Name='py-rule', EventBusName='py-bus')
ev.delete_archive(ArchiveName='py-archive')
ev.delete_event_bus(Name='py-bus')
out['gone'] = code(lambda: ev.describe_event_bus(Name='py-bus'))

sch.create_schedule_group(Name='py-group')
out['group'] = sch.get_schedule_group(Name='py-group')['Name']
sch.create_schedule(Name='py-s', GroupName='py-group', ScheduleExpression='cron(0 9 ? * MON-FRI *)', ScheduleExpressionTimezone='Europe/Paris',
                    FlexibleTimeWindow={'Mode': 'OFF'}, Target={'Arn': fn, 'RoleArn': 'arn:aws:iam::000000000000:role/r'})
out['schedule'] = sch.get_schedule(Name='py-s', GroupName='py-group')['ScheduleExpressionTimezone']
sch.update_schedule(Name='py-s', GroupName='py-group', ScheduleExpression='rate(5 minutes)', FlexibleTimeWindow={'Mode': 'OFF'},
                    Target={'Arn': fn, 'RoleArn': 'arn:aws:iam::000000000000:role/r'})
out['schedules'] = [s['Name'] for s in sch.list_schedules(GroupName='py-group')['Schedules']]
out['groups'] = sorted(g['Name'] for g in sch.list_schedule_groups()['ScheduleGroups'])
group_arn = sch.get_schedule_group(Name='py-group')['Arn']
sch.tag_resource(ResourceArn=group_arn, Tags=[{'Key': 'k', 'Value': 'v'}])
out['sch_tags'] = sch.list_tags_for_resource(ResourceArn=group_arn)['Tags']
sch.untag_resource(ResourceArn=group_arn, TagKeys=['k'])
sch.delete_schedule(Name='py-s', GroupName='py-group')
sch.delete_schedule_group(Name='py-group')
out['bad_cron'] = code(lambda: sch.create_schedule(Name='bad', ScheduleExpression='cron(0 9 * * * *)', FlexibleTimeWindow={'Mode': 'OFF'},
                                                     Target={'Arn': fn, 'RoleArn': 'arn:aws:iam::000000000000:role/r'}))

reg.create_registry(RegistryName='py-reg')
content = json.dumps({'openapi': '3.0.0', 'info': {'title': 't', 'version': '1'}, 'paths': {}, 'components': {'schemas': {'E': {'type': 'object'}}}})
reg.create_schema(RegistryName='py-reg', SchemaName='py-schema', Type='OpenApi3', Content=content)
out['schema'] = reg.describe_schema(RegistryName='py-reg', SchemaName='py-schema')['SchemaVersion']
out['search'] = [s['SchemaName'] for s in reg.search_schemas(RegistryName='py-reg', Keywords='py')['Schemas']]
out['versions'] = [v['SchemaVersion'] for v in reg.list_schema_versions(RegistryName='py-reg', SchemaName='py-schema')['SchemaVersions']]
out['registries'] = 'py-reg' in [r['RegistryName'] for r in reg.list_registries()['Registries']]
reg.delete_schema(RegistryName='py-reg', SchemaName='py-schema')
reg.delete_registry(RegistryName='py-reg')
out['no_registry'] = code(lambda: reg.describe_registry(RegistryName='py-reg'))
print(json.dumps(out))

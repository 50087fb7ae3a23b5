// Parser cases: every query printed in AWS's Metrics Insights pages (query components and syntax,
// sample queries, SQL inference, troubleshooting) must parse; every way of failing has a case with
// the message it gives and where it points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../../../protocol/errors.ts';
import { MetricsInsightsError } from './errors.ts';
import { isMetricsInsightsQuery, MAX_QUERY_LENGTH, parseMetricsInsights } from './parse.ts';

/** Verbatim from the docs (the multi-line ones keep their line breaks and trailing spaces). */
const DOC_QUERIES = [
  // Query components and syntax
  'SELECT AVG(CPUUtilization) FROM "AWS/EC2"',
  'SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2")',
  'SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId)',
  'SELECT SUM(RequestCount) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer, AvailabilityZone)',
  "SELECT MAX(CPUUtilization) FROM \"AWS/EC2\" WHERE AutoScalingGroupName = 'my-production-fleet'",
  'SELECT SUM(RequestCount) \nFROM SCHEMA("AWS/ApplicationELB", LoadBalancer, AvailabilityZone)',
  "SELECT SUM(RequestCount) \nFROM SCHEMA(\"AWS/ApplicationELB\", LoadBalancer, AvailabilityZone)\nWHERE LoadBalancer = 'app/load-balancer-1'",
  "SELECT SUM(RequestCount) \nFROM SCHEMA(\"AWS/ApplicationELB\", LoadBalancer, AvailabilityZone)\nWHERE LoadBalancer = 'app/load-balancer-1'\nGROUP BY AvailabilityZone",
  "SELECT SUM(RequestCount) \nFROM SCHEMA(\"AWS/ApplicationELB\", LoadBalancer, AvailabilityZone)\nWHERE LoadBalancer = 'app/load-balancer-1'\nGROUP BY AvailabilityZone\nORDER BY MAX() DESC",
  "SELECT SUM(RequestCount) \nFROM SCHEMA(\"AWS/ApplicationELB\", LoadBalancer, AvailabilityZone)\nWHERE LoadBalancer = 'app/load-balancer-1'\nGROUP BY AvailabilityZone\nORDER BY MAX() DESC\nLIMIT 5",
  // Sample queries
  'SELECT SUM(RequestCount) \nFROM SCHEMA("AWS/ApplicationELB", LoadBalancer)',
  'SELECT MAX(ActiveConnectionCount) \nFROM SCHEMA("AWS/ApplicationELB", LoadBalancer) \nGROUP BY LoadBalancer \nORDER BY SUM() DESC \nLIMIT 10',
  "SELECT COUNT(CallCount) \nFROM SCHEMA(\"AWS/Usage\", Class, Resource, Service, Type) \nWHERE Type = 'API' \nGROUP BY Service, Resource \nORDER BY COUNT() DESC \nLIMIT 20",
  "SELECT COUNT(CallCount) \nFROM SCHEMA(\"AWS/Usage\", Class, Resource, Service, Type) \nWHERE Type = 'API' AND Service = 'CloudWatch' \nGROUP BY Resource \nORDER BY COUNT() DESC",
  'SELECT SUM(ProvisionedWriteCapacityUnits)\nFROM SCHEMA("AWS/DynamoDB", TableName) \nGROUP BY TableName\nORDER BY MAX() DESC LIMIT 10',
  'SELECT SUM(ReturnedBytes)\nFROM SCHEMA("AWS/DynamoDB", TableName) \nGROUP BY TableName\nORDER BY MAX() DESC LIMIT 10',
  'SELECT SUM(UserErrors)\nFROM SCHEMA("AWS/DynamoDB", TableName) \nGROUP BY TableName\nORDER BY MAX() DESC LIMIT 10',
  'SELECT SUM(VolumeWriteBytes) \nFROM SCHEMA("AWS/EBS", VolumeId) \nGROUP BY VolumeId \nORDER BY SUM() DESC \nLIMIT 10',
  'SELECT AVG(VolumeTotalWriteTime) \nFROM SCHEMA("AWS/EBS", VolumeId)',
  'SELECT AVG(CPUUtilization) \n  FROM SCHEMA("AWS/EC2", InstanceId) \n  GROUP BY InstanceId \n  ORDER BY AVG() DESC',
  'SELECT AVG(CPUUtilization) \nFROM SCHEMA("AWS/EC2", InstanceId)',
  'SELECT MAX(CPUUtilization) \nFROM SCHEMA("AWS/EC2", InstanceId) \nGROUP BY InstanceId \nORDER BY MAX() DESC \nLIMIT 10',
  "SELECT AVG(CPUUtilization)\nFROM \"AWS/CWAgent\"\nWHERE ApplicationName = 'eCommerce'",
  'SELECT AVG(CPUUtilization) \nFROM SCHEMA("AWS/ECS", ClusterName)',
  'SELECT AVG(MemoryUtilization) \nFROM SCHEMA("AWS/ECS", ClusterName) \nGROUP BY ClusterName \nORDER BY AVG() DESC\nLIMIT 10',
  'SELECT AVG(CPUUtilization) \nFROM SCHEMA("AWS/ECS", ClusterName, ServiceName) \nGROUP BY ClusterName, ServiceName \nORDER BY AVG() DESC \nLIMIT 10',
  'SELECT AVG(RunningTaskCount) \nFROM SCHEMA("ECS/ContainerInsights", ClusterName, ServiceName) \nGROUP BY ClusterName, ServiceName \nORDER BY AVG() DESC \nLIMIT 10',
  'SELECT AVG(pod_cpu_utilization) \nFROM SCHEMA("ContainerInsights", ClusterName)',
  'SELECT AVG(node_cpu_utilization) \nFROM SCHEMA("ContainerInsights", ClusterName) \nGROUP BY ClusterName\nORDER BY AVG() DESC LIMIT 10',
  'SELECT AVG(pop_memory_utilization) \nFROM SCHEMA("ContainerInsights", ClusterName) \nGROUP BY ClusterName\nORDER BY AVG() DESC LIMIT 10',
  'SELECT AVG(node_cpu_utilization) \nFROM SCHEMA("ContainerInsights", ClusterName, NodeName) \nGROUP BY ClusterName, NodeName \nORDER BY AVG() DESC LIMIT 10',
  'SELECT AVG(pod_memory_utilization) \nFROM SCHEMA("ContainerInsights", ClusterName, PodName) \nGROUP BY ClusterName, PodName \nORDER BY AVG() DESC LIMIT 10',
  'SELECT SUM(Invocations)\nFROM SCHEMA("AWS/Events", RuleName) \nGROUP BY RuleName\nORDER BY MAX() DESC LIMIT 10',
  'SELECT SUM(FailedInvocations)\nFROM SCHEMA("AWS/Events", RuleName) \nGROUP BY RuleName\nORDER BY MAX() DESC LIMIT 10',
  'SELECT SUM(MatchedEvents)\nFROM SCHEMA("AWS/Events", RuleName) \nGROUP BY RuleName\nORDER BY MAX() DESC LIMIT 10',
  'SELECT SUM("PutRecords.Bytes") \nFROM SCHEMA("AWS/Kinesis", StreamName) \nGROUP BY StreamName\nORDER BY SUM() DESC LIMIT 10',
  'SELECT MAX("GetRecords.IteratorAgeMilliseconds") \nFROM SCHEMA("AWS/Kinesis", StreamName) \nGROUP BY StreamName\nORDER BY MAX() DESC LIMIT 10',
  'SELECT SUM(Invocations) \nFROM SCHEMA("AWS/Lambda", FunctionName) \nGROUP BY FunctionName \nORDER BY SUM() DESC',
  'SELECT AVG(Duration) \nFROM SCHEMA("AWS/Lambda", FunctionName) \nGROUP BY FunctionName \nORDER BY MAX() DESC \nLIMIT 10',
  'SELECT SUM(Errors) \nFROM SCHEMA("AWS/Lambda", FunctionName) \nGROUP BY FunctionName \nORDER BY SUM() DESC \nLIMIT 10',
  'SELECT SUM(IncomingLogEvents)\nFROM SCHEMA("AWS/Logs", LogGroupName) \nGROUP BY LogGroupName\nORDER BY SUM() DESC LIMIT 10',
  'SELECT SUM(IncomingBytes)\nFROM SCHEMA("AWS/Logs", LogGroupName) \nGROUP BY LogGroupName\nORDER BY SUM() DESC LIMIT 10',
  'SELECT MAX(CPUUtilization)\nFROM SCHEMA("AWS/RDS", DBInstanceIdentifier) \nGROUP BY DBInstanceIdentifier\nORDER BY MAX() DESC \nLIMIT 10',
  'SELECT SUM(WriteIOPS)\nFROM SCHEMA("AWS/RDS", DBClusterIdentifier) \nGROUP BY DBClusterIdentifier\nORDER BY MAX() DESC \nLIMIT 10',
  "SELECT AVG(TotalRequestLatency) \nFROM SCHEMA(\"AWS/S3\", BucketName, FilterId) \nWHERE FilterId = 'EntireBucket' \nGROUP BY BucketName \nORDER BY AVG() DESC",
  "SELECT SUM(BytesDownloaded) \nFROM SCHEMA(\"AWS/S3\", BucketName, FilterId) \nWHERE FilterId = 'EntireBucket'\nGROUP BY BucketName \nORDER BY SUM() DESC \nLIMIT 10",
  'SELECT SUM(NumberOfMessagesPublished) \nFROM SCHEMA("AWS/SNS", TopicName)',
  'SELECT SUM(NumberOfMessagesPublished) \nFROM SCHEMA("AWS/SNS", TopicName) \nGROUP BY TopicName \nORDER BY SUM() DESC \nLIMIT 10',
  'SELECT SUM(NumberOfNotificationsFailed) \nFROM SCHEMA("AWS/SNS", TopicName)\nGROUP BY TopicName \nORDER BY SUM() DESC \nLIMIT 10',
  'SELECT AVG(ApproximateNumberOfMessagesVisible)\nFROM SCHEMA("AWS/SQS", QueueName) \nGROUP BY QueueName\nORDER BY AVG() DESC \nLIMIT 10',
  'SELECT SUM(NumberOfMessagesSent)\nFROM SCHEMA("AWS/SQS", QueueName) \nGROUP BY QueueName\nORDER BY SUM() DESC \nLIMIT 10',
  'SELECT AVG(ApproximateAgeOfOldestMessage)\nFROM SCHEMA("AWS/SQS", QueueName) \nGROUP BY QueueName\nORDER BY AVG() DESC \nLIMIT 10',
  // SQL inference
  'SELECT AVG(CPUUtilization)\nFROM SCHEMA("AWS/EC2", InstanceId)\nGROUP BY InstanceId',
  'SELECT AVG(CPUUtilization)\nFROM SCHEMA("AWS/EC2", InstanceId)\nGROUP BY InstanceId\nORDER BY MAX()\nLIMIT 10',
  // Troubleshooting
  'SELECT AVG(Faults) \nFROM MyCustomNamespace \nGROUP BY Operation, ServiceName',
  'SELECT AVG(Faults) \nFROM SCHEMA(MyCustomNamespace, Operation)\nGROUP BY Operation, ServiceName',
];

for (const [i, query] of DOC_QUERIES.entries()) {
  test(`doc query ${i + 1} parses: ${query.replace(/\s+/g, ' ').slice(0, 90)}`, () => {
    const q = parseMetricsInsights(query);
    assert.equal(q.text, query);
  });
}

test('the step-by-step example parses into every clause', () => {
  const q = parseMetricsInsights(DOC_QUERIES[9]!);
  assert.equal(q.fn, 'SUM');
  assert.equal(q.metricName.value, 'RequestCount');
  assert.equal(q.from.kind, 'schema');
  assert.equal(q.from.namespace.value, 'AWS/ApplicationELB');
  assert.deepEqual(q.from.kind === 'schema' && q.from.keys.map((k) => k.value), ['LoadBalancer', 'AvailabilityZone']);
  assert.deepEqual(q.where.map(({ key, op, value }) => [key.value, op, value]), [['LoadBalancer', '=', 'app/load-balancer-1']]);
  assert.deepEqual(q.groupBy.map((k) => k.value), ['AvailabilityZone']);
  assert.equal(q.orderBy?.fn, 'MAX');
  assert.equal(q.orderBy?.direction, 'DESC');
  assert.equal(q.limit?.value, 5);
});

test('keywords and functions are case-insensitive, names are kept as written', () => {
  const q = parseMetricsInsights("select avg(cpuUtilization) from \"aws/ec2\" where Env = 'Prod' and tier != 'web' group by Host order by Sum() limit 3");
  assert.equal(q.fn, 'AVG');
  assert.equal(q.metricName.value, 'cpuUtilization');
  assert.equal(q.from.namespace.value, 'aws/ec2');
  assert.deepEqual(q.where.map(({ key, op, value }) => [key.value, op, value]), [['Env', '=', 'Prod'], ['tier', '!=', 'web']]);
  assert.deepEqual(q.groupBy.map((k) => k.value), ['Host']);
  assert.deepEqual(q.orderBy && [q.orderBy.fn, q.orderBy.direction], ['SUM', 'ASC']);
  assert.equal(q.limit?.value, 3);
});

test('ORDER BY without a direction is ascending', () => {
  assert.equal(parseMetricsInsights('SELECT MAX(a) FROM ns GROUP BY k ORDER BY MIN()').orderBy?.direction, 'ASC');
  assert.equal(parseMetricsInsights('SELECT MAX(a) FROM ns GROUP BY k ORDER BY MIN() asc').orderBy?.direction, 'ASC');
});

test('quoted names and values unescape \\", \\\' and \\\\, and keep other backslashes', () => {
  // The doc's example: SELECT AVG("Bytes\"Input\"")
  assert.equal(parseMetricsInsights('SELECT AVG("Bytes\\"Input\\"") FROM ns').metricName.value, 'Bytes"Input"');
  assert.equal(parseMetricsInsights('SELECT AVG("LIMIT") FROM ns').metricName.value, 'LIMIT');
  assert.equal(parseMetricsInsights('SELECT MAX("My.Metric") FROM "My Namespace"').from.namespace.value, 'My Namespace');
  const q = parseMetricsInsights(`SELECT SUM(x) FROM ns WHERE "it's" = 'it\\'s' AND "a\\\\b" = 'C:\\logs' AND k = 'say "hi"'`);
  assert.deepEqual(q.where.map((c) => [c.key.value, c.value]), [["it's", "it's"], ['a\\b', 'C:\\logs'], ['k', 'say "hi"']]);
  assert.equal(q.metricName.quoted, false);
  assert.equal(q.where[0]!.key.quoted, true);
});

test('bare names are letters, digits and _; words of the reserved list outside this grammar may stay bare', () => {
  // The docs' own sample uses Class, Resource and Type (all on the reserved list) unquoted.
  const q = parseMetricsInsights("SELECT SUM(4XXError) FROM SCHEMA(Custom_NS_1, Type, Class) WHERE Type = 'API' GROUP BY Class");
  assert.equal(q.metricName.value, '4XXError');
  assert.deepEqual(q.from.kind === 'schema' && q.from.keys.map((k) => k.value), ['Type', 'Class']);
});

test('an empty label value is a value', () => {
  assert.equal(parseMetricsInsights("SELECT SUM(x) FROM ns WHERE k != ''").where[0]!.value, '');
});

test('isMetricsInsightsQuery tells a query from metric math', () => {
  assert.equal(isMetricsInsightsQuery('SELECT AVG(x) FROM ns'), true);
  assert.equal(isMetricsInsightsQuery('  select avg(x) from ns'), true);
  assert.equal(isMetricsInsightsQuery('SELECTED + 1'), false);
  assert.equal(isMetricsInsightsQuery('SUM(METRICS())'), false);
  assert.equal(isMetricsInsightsQuery("SEARCH('{AWS/EC2} MetricName=\"CPUUtilization\"', 'Average', 300)"), false);
});

/** [query, message (without the position), offending text or undefined to skip that check] */
const ERRORS: [string, string, string | undefined][] = [
  ['', 'Invalid syntax. The query is empty', undefined],
  ['   \n ', 'Invalid syntax. The query is empty', undefined],
  ['FROM "AWS/EC2"', "Invalid syntax. Expected SELECT, found 'FROM'", 'FROM'],
  ['SELECT MEDIAN(x) FROM ns', "Invalid syntax. SELECT takes one of the functions AVG, COUNT, MAX, MIN or SUM, found 'MEDIAN'", 'MEDIAN'],
  ['SELECT', 'Invalid syntax. SELECT takes one of the functions AVG, COUNT, MAX, MIN or SUM, found the end of the query', undefined],
  ['SELECT AVG x FROM ns', "Invalid syntax. Expected '(' and the metric name after AVG, found 'x'", 'x'],
  ['SELECT AVG(*) FROM ns', "Invalid syntax. Unexpected character '*'", '*'],
  ['SELECT AVG() FROM ns', "Invalid syntax. Expected a metric name, found ')'", ')'],
  ['SELECT AVG(a, b) FROM ns', 'Invalid syntax. AVG takes exactly one metric name', ','],
  ['SELECT AVG(a FROM ns', "Invalid syntax. Expected ')' after the metric name, found 'FROM'", 'FROM'],
  ['SELECT AVG(a), MAX(b) FROM ns', 'Invalid syntax. SELECT takes exactly one FUNCTION(metricName)', ','],
  ['SELECT AVG(a) ns', "Invalid syntax. Expected FROM, found 'ns'", 'ns'],
  ['SELECT AVG(a) FROM', 'Invalid syntax. Expected a namespace or SCHEMA(...), found the end of the query', undefined],
  ['SELECT AVG(Count) FROM "AWS/ApiGateway"', "Invalid syntax. Reserved keyword 'Count' must be surrounded by double quotes", 'Count'],
  ['SELECT AVG(x) FROM ns GROUP BY select', "Invalid syntax. Reserved keyword 'select' must be surrounded by double quotes", 'select'],
  ['SELECT AVG(x) FROM schema', "Invalid syntax. Reserved keyword 'schema' must be surrounded by double quotes", 'schema'],
  ['SELECT AVG("") FROM ns', 'Invalid syntax. Expected a metric name, found an empty quoted name', '""'],
  ["SELECT AVG('CPU') FROM ns", "Invalid syntax. Expected a metric name, found 'CPU': single quotation marks are for label values; names take double quotes", "'CPU'"],
  ['SELECT AVG(CPUUtilization) FROM AWS/EC2',
    "Invalid syntax. Unexpected character '/'. Namespaces, metric names and label keys with characters other than letters, numbers and _ must be surrounded by double quotes", '/'],
  ['SELECT AVG(My.Metric) FROM ns', "Invalid syntax. Unexpected character '.'. Namespaces, metric names and label keys with characters other than letters, numbers and _ must be surrounded by double quotes", '.'],
  ['SELECT AVG("CPU) FROM ns', 'Invalid syntax. Unterminated quoted name: the closing " is missing', '"CPU) FROM ns'],
  ["SELECT AVG(x) FROM ns WHERE k = 'v", "Invalid syntax. Unterminated label value: the closing ' is missing", "'v"],
  ['SELECT AVG(x) FROM SCHEMA()', 'Invalid syntax. SCHEMA needs at least one argument, the namespace', 'SCHEMA()'],
  ['SELECT AVG(x) FROM SCHEMA("ns", a', "Invalid syntax. Expected ',' or ')' in SCHEMA(...), found the end of the query", undefined],
  ['SELECT AVG(x) FROM SCHEMA("ns", a b)', "Invalid syntax. Expected ',' or ')' in SCHEMA(...), found 'b'", 'b'],
  ["SELECT AVG(x) FROM ns WHERE a = 'x' OR b = 'y'", 'Invalid syntax. OR is not supported. The WHERE clause supports =, != and AND', 'OR'],
  ["SELECT AVG(x) FROM ns WHERE a LIKE 'x%'", 'Invalid syntax. Operator LIKE is not supported. The WHERE clause supports =, != and AND', 'LIKE'],
  ["SELECT AVG(x) FROM ns WHERE a IN ('x', 'y')", 'Invalid syntax. Operator IN is not supported. The WHERE clause supports =, != and AND', 'IN'],
  ["SELECT AVG(x) FROM ns WHERE a <> 'x'", 'Invalid syntax. Operator <> is not supported. The WHERE clause supports =, != and AND', '<>'],
  ["SELECT AVG(x) FROM ns WHERE a >= 'x'", 'Invalid syntax. Operator >= is not supported. The WHERE clause supports =, != and AND', '>='],
  ["SELECT AVG(x) FROM ns WHERE (a = 'x')", 'Invalid syntax. Parentheses are not supported. The WHERE clause supports =, != and AND', '('],
  ["SELECT AVG(x) FROM ns WHERE NOT a = 'x'", 'Invalid syntax. NOT is not supported. The WHERE clause supports =, != and AND', 'NOT'],
  ['SELECT AVG(x) FROM ns WHERE a = "x"', 'Invalid syntax. Label values must be enclosed in single quotation marks, found "x"', '"x"'],
  ['SELECT AVG(x) FROM ns WHERE a = x', 'Invalid syntax. Label values must be enclosed in single quotation marks, found x', 'x'],
  ['SELECT AVG(x) FROM ns WHERE a = 5', 'Invalid syntax. Label values must be enclosed in single quotation marks, found 5', '5'],
  ['SELECT AVG(x) FROM ns WHERE a =', 'Invalid syntax. Expected a label value in single quotation marks, found the end of the query', undefined],
  ["SELECT AVG(x) FROM ns WHERE a 'x'", "Invalid syntax. Expected = or != after the label key a, found the label value 'x'", "'x'"],
  ["SELECT AVG(x) FROM ns WHERE a = 'x' b = 'y'", "Invalid syntax. Expected AND, GROUP BY, ORDER BY, LIMIT or the end of the query, found 'b'", 'b'],
  ['SELECT AVG(x) FROM ns GROUP a', "Invalid syntax. Expected BY after GROUP, found 'a'", 'a'],
  ['SELECT AVG(x) FROM ns GROUP BY', 'Invalid syntax. Expected a label key, found the end of the query', undefined],
  ["SELECT AVG(x) FROM ns GROUP BY a WHERE a = 'x'", "Invalid syntax. Expected ',', ORDER BY, LIMIT or the end of the query, found 'WHERE'", 'WHERE'],
  ['SELECT AVG(x) FROM ns ORDER BY MAX(x)', 'Invalid syntax. ORDER BY MAX() takes no argument: it aggregates the values of each returned time series', 'x'],
  ['SELECT AVG(x) FROM ns ORDER BY InstanceId', "Invalid syntax. ORDER BY takes one of the functions AVG, COUNT, MAX, MIN or SUM, found 'InstanceId'", 'InstanceId'],
  ['SELECT AVG(x) FROM ns ORDER BY MAX', "Invalid syntax. Expected '()' after MAX, found the end of the query", undefined],
  ['SELECT AVG(x) FROM ns ORDER BY MAX() DOWN', "Invalid syntax. Expected LIMIT or the end of the query, found 'DOWN'", 'DOWN'],
  ['SELECT AVG(x) FROM ns LIMIT 0', 'LIMIT must be from 1 to 500, got 0', '0'],
  ['SELECT AVG(x) FROM ns LIMIT 501', 'LIMIT must be from 1 to 500, got 501', '501'],
  ['SELECT AVG(x) FROM ns LIMIT ten', "Invalid syntax. Expected a whole number from 1 to 500 after LIMIT, found 'ten'", 'ten'],
  ["SELECT AVG(x) FROM ns LIMIT '5'", "Invalid syntax. Expected a whole number from 1 to 500 after LIMIT, found the label value '5'", "'5'"],
  ['SELECT AVG(x) FROM ns LIMIT -1', "Invalid syntax. Unexpected character '-'", '-'],
  ['SELECT AVG(x) FROM ns LIMIT 5 LIMIT 6', "Invalid syntax. Expected the end of the query, found 'LIMIT'", 'LIMIT'],
  ['SELECT AVG(x) FROM ns;', "Invalid syntax. Unexpected character ';'", ';'],
  ['SELECT AVG(x) FROM ns -- comment', "Invalid syntax. Unexpected character '-'", '-'],
];

for (const [query, message, at] of ERRORS) {
  test(`rejects ${JSON.stringify(query)}`, () => {
    assert.throws(() => parseMetricsInsights(query), (e: unknown) => {
      assert.ok(e instanceof MetricsInsightsError);
      assert.equal(e.detail, message);
      assert.match(e.message, new RegExp(`^${escapeRegExp(message)} \\(line \\d+, column \\d+\\)$`));
      if (at !== undefined) assert.equal(query.slice(e.start, e.end), at);
      return true;
    });
  });
}

test('a bad query is a 400 ValidationError whose message names line and column', () => {
  const query = 'SELECT AVG(x)\nFROM ns\nWHERE a LIKE \'x\'';
  assert.throws(() => parseMetricsInsights(query), (e: unknown) => {
    assert.ok(e instanceof ServiceError);
    assert.equal(e.code, 'ValidationError');
    assert.equal(e.status, 400);
    assert.equal(e.message, 'Invalid syntax. Operator LIKE is not supported. The WHERE clause supports =, != and AND (line 3, column 9)');
    assert.equal((e as MetricsInsightsError).forQuery('q1').message,
      "Error in expression 'q1': Invalid syntax. Operator LIKE is not supported. The WHERE clause supports =, != and AND (line 3, column 9)");
    return true;
  });
});

test(`queries longer than ${MAX_QUERY_LENGTH} characters are rejected, as MetricDataQuery.Expression is`, () => {
  const pad = ' '.repeat(MAX_QUERY_LENGTH - 'SELECT AVG(x) FROM ns'.length);
  assert.equal(parseMetricsInsights(`SELECT AVG(x) FROM ns${pad}`).metricName.value, 'x');
  assert.throws(() => parseMetricsInsights(`SELECT AVG(x) FROM ns${pad} `),
    (e: unknown) => e instanceof MetricsInsightsError && e.detail === `The query is ${MAX_QUERY_LENGTH + 1} characters long; the maximum is ${MAX_QUERY_LENGTH}`);
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

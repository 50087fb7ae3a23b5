import { test } from 'node:test';
import assert from 'node:assert/strict';
import { invalidBodyMessage, validateDashboardBody } from './validate-body.ts';
import type { ValidationMessage } from './schema.ts';

const messagesOf = (body: unknown): ValidationMessage[] => {
  const r = validateDashboardBody(typeof body === 'string' ? body : JSON.stringify(body));
  if (r.ok) return [];
  if (r.notAnObject) throw new Error('unexpected: not an object');
  return r.messages;
};
const metricWidget = (properties: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  ({ widgets: [{ type: 'metric', x: 0, y: 0, width: 12, height: 6, properties, ...over }] });
const m = (dataPath: string, message: string): ValidationMessage => ({ dataPath, message });

// Bodies from the "Dashboard Body Structure and Syntax" reference and the console's "View source".
const VALID: Record<string, unknown> = {
  'overall structure example (metric + text widget)': {
    start: '-PT6H', periodOverride: 'inherit',
    widgets: [
      { type: 'metric', x: 0, y: 0, width: 12, height: 6, properties: {
        metrics: [['AWS/EC2', 'CPUUtilization', 'InstanceId', 'i-012345']], period: 300, stat: 'Average',
        region: 'us-east-1', title: 'EC2 Instance CPU', liveData: false, legend: { position: 'right' } } },
      { type: 'text', x: 0, y: 7, width: 3, height: 3, properties: { markdown: 'Hello world' } },
    ],
  },
  'Lambda metrics with "." shorthand and a property variable': {
    widgets: [{ height: 6, width: 6, y: 0, x: 0, type: 'metric', properties: {
      view: 'timeSeries', stacked: false, region: 'us-east-1',
      metrics: [['AWS/Lambda', 'Invocations', 'FunctionName', 'my-function-name'], ['.', 'Errors', '.', '.'], ['.', 'Throttles', '.', '.']] } }],
    variables: [{ type: 'property', property: 'FunctionName', inputType: 'select', id: 'functionName', label: 'Function',
      defaultValue: 'my-function-name', visible: true, search: '{AWS/Lambda,FunctionName} MetricName="Duration"', populateFrom: 'FunctionName' }],
  },
  'rendering properties, "..." and a math expression': metricWidget({
    region: 'us-east-1', view: 'timeSeries', stacked: true, yAxis: { left: { min: 0, label: 'Percent', showUnits: false }, right: { max: 100 } },
    metrics: [
      ['AWS/EC2', 'CPUUtilization', 'InstanceId', 'i-012345', { id: 'm1' }],
      ['.', '.', '.', 'i-023456', { yAxis: 'right', color: '#ff7f0e', id: 'm2', visible: false }],
      ['...', 'i-034567', { label: 'third', stat: 'p90', period: 60 }],
      [{ expression: 'SUM(METRICS())', label: 'Sum', id: 'e1' }],
    ],
    annotations: { horizontal: [{ value: 80, label: 'High', color: '#d62728', fill: 'above' }, [{ value: 10 }, { value: 20, label: 'band' }]],
      vertical: [{ value: '2024-01-01T00:00:00Z', label: 'deploy' }] },
  }),
  'single value and gauge views': { widgets: [
    { type: 'metric', properties: { view: 'singleValue', region: 'eu-west-1', metrics: [['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', 'q']], setPeriodToTimeRange: true, sparkline: true } },
    { type: 'metric', properties: { view: 'gauge', region: 'eu-west-1', metrics: [['AWS/EC2', 'CPUUtilization']], yAxis: { left: { min: 0, max: 100 } } } },
  ] },
  'alarm annotation instead of metrics': metricWidget({
    annotations: { alarms: ['arn:aws:cloudwatch:us-east-1:012345678910:alarm:ServerCpuTooHigh'] }, view: 'timeSeries', stacked: false, region: 'us-east-1' }),
  'log widget': { widgets: [{ type: 'log', x: 0, y: 0, width: 24, height: 6, properties: {
    query: "SOURCE '/aws/lambda/my-function' | fields @timestamp, @message | sort @timestamp desc | limit 20",
    region: 'us-east-1', title: 'Recent Lambda logs', view: 'table' } }] },
  'alarm status widget': { widgets: [{ type: 'alarm', properties: {
    title: 'Alarms', sortBy: 'stateUpdatedTimestamp', states: ['ALARM', 'OK'],
    alarms: ['arn:aws:cloudwatch:us-east-1:012345678910:alarm:ServerCpuTooHigh', 'arn:aws:cloudwatch:us-east-1:012345678910:alarm:DiskFull'] } }] },
  'metrics explorer widget': { widgets: [{ type: 'explorer', width: 24, height: 15, x: 0, y: 0, properties: {
    metrics: [{ metricName: 'CPUUtilization', resourceType: 'AWS::EC2::Instance', stat: 'Average' },
      { metricName: 'NetworkIn', resourceType: 'AWS::EC2::Instance', stat: 'Average' }],
    aggregateBy: { key: 'InstanceType', func: 'MAX' }, labels: [{ key: 'State', value: 'running' }],
    widgetOptions: { legend: { position: 'bottom' }, view: 'timeSeries', rowsPerPage: 8, widgetsPerRow: 2 },
    period: 300, splitBy: 'AvailabilityZone', title: 'Running EC2 Instances by AZ' } }] },
  'custom widget': { widgets: [{ type: 'custom', width: 6, height: 6, properties: {
    endpoint: 'arn:aws:lambda:us-east-1:012345678910:function:hello', params: { name: 'x' }, updateOn: { refresh: true }, title: 'Hi' } }] },
  'empty dashboard': { widgets: [] },
  'unknown properties only earn AWS warnings, so they pass': { widgets: [{ type: 'text', properties: { markdown: '# hi', extra: 1 }, extra: 2 }], extra: 3 },
};

for (const [name, body] of Object.entries(VALID)) {
  test(`valid: ${name}`, () => assert.deepEqual(messagesOf(body), []));
}

test('a body that is not JSON, or not a JSON object, is refused before any schema check', () => {
  for (const body of ['{"widgets": [', '', '[]', '"widgets"', 'null']) {
    assert.deepEqual(validateDashboardBody(body), { ok: false, notAnObject: true }, body);
  }
});

test('widgets is required at the root', () => {
  assert.deepEqual(messagesOf({ start: '-PT3H' }), [m('', "Should have required property 'widgets'")]);
  assert.deepEqual(messagesOf({ widgets: {} }), [m('/widgets', 'Should be array')]);
});

test('a metric widget with neither metrics nor an alarm annotation gets the three messages AWS sends', () => {
  assert.deepEqual(messagesOf(metricWidget({ region: 'us-east-1', title: 'x' })), [
    m('/widgets/0/properties', "Should have required property 'metrics'"),
    m('/widgets/0/properties', 'The metric widget should have specified a region and a data source or an alarm annotation'),
    m('/widgets/0/properties', "Should have required property 'annotations'"),
  ]);
  assert.deepEqual(messagesOf(metricWidget({ region: 'us-east-1', annotations: { horizontal: [{ value: 1 }] } })), [
    m('/widgets/0/properties', 'The metric widget should have specified a region and a data source or an alarm annotation'),
  ]);
});

test('a metric widget needs a region', () => {
  assert.deepEqual(messagesOf(metricWidget({ metrics: [['AWS/EC2', 'CPUUtilization']] })),
    [m('/widgets/0/properties', "Should have required property 'region'")]);
});

test('metric rows that are objects instead of arrays get both AWS messages', () => {
  const body = metricWidget({ region: 'us-east-1', metrics: [{ namespace: 'AWS/EC2' }, ['AWS/EC2', 'CPUUtilization']] });
  assert.deepEqual(messagesOf(body), [
    m('/widgets/0/properties/metrics/0', 'Should be array'),
    m('/widgets/0/properties/metrics/0', 'Field "metrics" has to be an array of array of strings, with an optional metricRenderer object as last element'),
  ]);
});

test('only the last item of a metric row may be an object; other items must be strings', () => {
  const body = metricWidget({ region: 'us-east-1', metrics: [['AWS/Lambda', 'Duration', { FunctionName: 'f' }, { stat: 'Sum' }], ['AWS/Lambda', 'Errors', 'FunctionName', 7]] });
  assert.deepEqual(messagesOf(body), [
    m('/widgets/0/properties/metrics/0/2', "Invalid metric field type, only 'String' type is allowed"),
    m('/widgets/0/properties/metrics/1/3', "Invalid metric field type, only 'String' type is allowed"),
  ]);
});

test('rendering properties are checked: color, yAxis, id, period, visible', () => {
  const body = metricWidget({ region: 'us-east-1', metrics: [
    ['AWS/EC2', 'CPUUtilization', { color: 'red', yAxis: 'middle', id: 'M1', period: 0, visible: 'no' }],
  ] });
  const p = '/widgets/0/properties/metrics/0/2';
  assert.deepEqual(messagesOf(body), [
    m(`${p}/color`, 'Should match pattern "^#([0-9a-fA-F]{6})$"'),
    m(`${p}/id`, 'Should match pattern "^[a-z][a-zA-Z0-9_]*$"'),
    m(`${p}/period`, 'Should be >= 1'),
    m(`${p}/visible`, 'Should be boolean'),
    m(`${p}/yAxis`, 'Should be equal to one of the allowed values'),
  ]);
});

test('metric rows need a namespace and a name, an expression object needs its expression', () => {
  const body = metricWidget({ region: 'us-east-1', metrics: [['AWS/EC2'], [], [{ id: 'e1', label: 'no expression' }]] });
  assert.deepEqual(messagesOf(body), [
    m('/widgets/0/properties/metrics/0', 'Should NOT have fewer than 2 items'),
    m('/widgets/0/properties/metrics/1', 'Should NOT have fewer than 1 items'),
    m('/widgets/0/properties/metrics/2/0', "Should have required property 'expression'"),
  ]);
});

test('widget type, grid position and size are checked against the documented ranges', () => {
  const body = { widgets: [
    { type: 'graph', properties: {} },
    { type: 'text', x: 24, y: -1, width: 25, height: 0, properties: { markdown: 'x' } },
    { type: 'text', x: 1.5, y: 0, width: 0, height: 1001, properties: { markdown: 'x' } },
    { type: 'text', y: 3, properties: { markdown: 'x' } },
    { properties: { markdown: 'x' } },
  ] };
  assert.deepEqual(messagesOf(body), [
    m('/widgets/0/type', 'Should be equal to one of the allowed values'),
    m('/widgets/1/x', 'Should be <= 23'),
    m('/widgets/1/y', 'Should be >= 0'),
    m('/widgets/1/width', 'Should be <= 24'),
    m('/widgets/1/height', 'Should be >= 1'),
    m('/widgets/2/x', 'Should be integer'),
    m('/widgets/2/width', 'Should be >= 1'),
    m('/widgets/2/height', 'Should be <= 1000'),
    m('/widgets/3', 'Should have property x when property y is present'),
    m('/widgets/4', "Should have required property 'type'"),
  ]);
});

test('per-type required properties: text markdown, log query and region, alarm ARNs, explorer metrics, custom endpoint', () => {
  const body = { widgets: [
    { type: 'text', properties: { background: 'pink' } },
    { type: 'log', properties: { title: 'no query' } },
    { type: 'alarm', properties: { alarms: ['ServerCpuTooHigh'] } },
    { type: 'alarm', properties: { alarms: [] } },
    { type: 'explorer', properties: { metrics: [{ metricName: 'CPUUtilization' }], aggregateBy: { key: 'InstanceType', func: 'MEDIAN' } } },
    { type: 'custom', properties: {} },
    { type: 'metric' },
  ] };
  assert.deepEqual(messagesOf(body), [
    m('/widgets/0/properties', "Should have required property 'markdown'"),
    m('/widgets/0/properties/background', 'Should be equal to one of the allowed values'),
    m('/widgets/1/properties', "Should have required property 'query'"),
    m('/widgets/1/properties', "Should have required property 'region'"),
    m('/widgets/2/properties/alarms/0', 'Should match pattern "^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\\d{12}:alarm:.+$"'),
    m('/widgets/3/properties/alarms', 'Should NOT have fewer than 1 items'),
    m('/widgets/4/properties/metrics/0', "Should have required property 'resourceType'"),
    m('/widgets/4/properties/metrics/0', "Should have required property 'stat'"),
    m('/widgets/4/properties/aggregateBy/func', 'Should be equal to one of the allowed values'),
    m('/widgets/5/properties', "Should have required property 'endpoint'"),
    m('/widgets/6', "Should have required property 'properties'"),
  ]);
});

test('metric widget options: view, legend position, axis bounds, annotations', () => {
  const body = metricWidget({
    region: 'us-east-1', view: 'heatmap', legend: { position: 'top' }, yAxis: { left: { min: 'zero' } }, stacked: 'yes',
    metrics: [['AWS/EC2', 'CPUUtilization']],
    annotations: { horizontal: [{ label: 'no value' }, [{ value: 1 }]], vertical: [{ value: 5 }], alarms: ['not-an-arn'] },
  });
  const p = '/widgets/0/properties';
  assert.deepEqual(messagesOf(body), [
    m(`${p}/annotations/horizontal/0`, "Should have required property 'value'"),
    m(`${p}/annotations/horizontal/1`, 'Should NOT have fewer than 2 items'),
    m(`${p}/annotations/vertical/0/value`, 'Should be string'),
    m(`${p}/annotations/alarms/0`, 'Should match pattern "^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\\d{12}:alarm:.+$"'),
    m(`${p}/view`, 'Should be equal to one of the allowed values'),
    m(`${p}/stacked`, 'Should be boolean'),
    m(`${p}/legend/position`, 'Should be equal to one of the allowed values'),
    m(`${p}/yAxis/left/min`, 'Should be number'),
  ]);
});

test('variables need a type, an input type and an id, and what their type refers to', () => {
  const body = { widgets: [], variables: [{ type: 'property', inputType: 'select', id: 'fn' }, { type: 'regex', inputType: 'input' }] };
  assert.deepEqual(messagesOf(body), [
    m('/variables/0', "Should have required property 'property'"),
    m('/variables/1', "Should have required property 'id'"),
    m('/variables/1/type', 'Should be equal to one of the allowed values'),
  ]);
});

test('a dashboard holds at most 500 widgets; periodOverride is auto or inherit', () => {
  const widgets = Array.from({ length: 501 }, () => ({ type: 'text', properties: { markdown: 'x' } }));
  assert.deepEqual(messagesOf({ widgets, periodOverride: 'always' }), [
    m('/widgets', 'Should NOT have more than 500 items'),
    m('/periodOverride', 'Should be equal to one of the allowed values'),
  ]);
});

test('the error message is the count then the list as indented JSON, as AWS writes it', () => {
  assert.equal(invalidBodyMessage([m('/widgets/0/properties', "Should have required property 'markdown'")]),
    'The dashboard body is invalid, there are 1 validation errors:\n' +
    '[\n  {\n    "dataPath": "/widgets/0/properties",\n    "message": "Should have required property \'markdown\'"\n  }\n]');
});

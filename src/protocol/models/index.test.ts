import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorNamespace, findErrorShape, getShape, loadModel, type ServiceName } from './index.ts';

const ALL: ServiceName[] = ['cloudwatch', 'logs', 'events', 'cloudtrail', 'xray', 'sns'];

test('loadModel reads each service once and shares the result', () => {
  for (const name of ALL) {
    const model = loadModel(name);
    assert.equal(loadModel(name), model);
    assert.ok(Object.keys(model.operations).length > 0, name);
  }
  assert.equal(loadModel('sns').metadata.xmlNamespace, 'http://sns.amazonaws.com/doc/2010-03-31/');
  assert.equal(loadModel('cloudwatch').operations.DescribeAlarms!.output!.resultWrapper, 'DescribeAlarmsResult');
  assert.equal(getShape(loadModel('logs'), 'LogGroupName').type, 'string');
  assert.throws(() => getShape(loadModel('logs'), 'Nope'), /no shape Nope/);
});

test('findErrorShape matches a shape name or an awsQuery code', () => {
  const cw = loadModel('cloudwatch');
  const sns = loadModel('sns');
  const expected = { shapeName: 'InvalidParameterValueException', awsQueryCode: 'InvalidParameterValue', status: 400, sender: true };
  assert.deepEqual(findErrorShape(cw, 'InvalidParameterValueException'), expected);
  assert.deepEqual(findErrorShape(cw, 'InvalidParameterValue'), expected);
  assert.deepEqual(findErrorShape(cw, 'InternalServiceFault'), { shapeName: 'InternalServiceFault', awsQueryCode: 'InternalServiceError', status: 500, sender: false });
  assert.deepEqual(findErrorShape(cw, 'DashboardNotFoundError'), { shapeName: 'DashboardNotFoundError', awsQueryCode: 'ResourceNotFound', status: 404, sender: true });
  assert.equal(findErrorShape(cw, 'ConcurrentModificationException')!.status, 429);
  assert.deepEqual(findErrorShape(sns, 'NotFound'), { shapeName: 'NotFoundException', awsQueryCode: 'NotFound', status: 404, sender: true });
  // A shape name wins over another shape's code.
  assert.equal(findErrorShape(sns, 'ResourceNotFoundException')!.awsQueryCode, 'ResourceNotFound');
  assert.equal(findErrorShape(sns, 'ParameterValueInvalid')!.shapeName, 'InvalidParameterValueException');
  assert.equal(findErrorShape(sns, 'SignatureDoesNotMatch'), undefined);
});

test('JSON-only models: the code is the shape name; fault shapes are 500 Receiver', () => {
  const logs = loadModel('logs');
  assert.deepEqual(findErrorShape(logs, 'ResourceNotFoundException'), { shapeName: 'ResourceNotFoundException', awsQueryCode: 'ResourceNotFoundException', status: 400, sender: true });
  assert.deepEqual(findErrorShape(logs, 'ServiceUnavailableException'), { shapeName: 'ServiceUnavailableException', awsQueryCode: 'ServiceUnavailableException', status: 500, sender: false });
});

test('errorNamespace gives the SDK registries\' namespaces', () => {
  assert.deepEqual(
    ALL.map((n) => errorNamespace(loadModel(n))),
    ['com.amazonaws.cloudwatch', 'com.amazonaws.cloudwatchlogs', 'com.amazonaws.eventbridge', 'com.amazonaws.cloudtrail.v20131101', 'com.amazonaws.xray', 'com.amazonaws.sns'],
  );
});

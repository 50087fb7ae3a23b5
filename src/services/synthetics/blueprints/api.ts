/** API canary: HTTP steps with status and JSON body assertions. */
import type { Blueprint } from './blueprint.ts';

export const api: Blueprint = {
  name: 'api',
  title: 'API canary',
  description: 'Calls one or more HTTP endpoints as steps, checking each status code and, when given, values in the JSON body (dotted paths). Request and response details go to HttpRequestsReport.json.',
  runtimeFamily: 'puppeteer',
  fileName: 'nodejs/node_modules/apiCanaryBlueprint.js',
  handler: 'apiCanaryBlueprint.handler',
  params: [
    {
      name: 'REQUESTS',
      description: 'The calls, in order: {name, url, method?, headers?, body?, expectStatus?, expectJson?: {"dotted.path": value}}.',
      default: [{ name: 'Verify GET', url: 'https://example.com/', method: 'GET', expectStatus: 200 }],
    },
  ],
  source: `// Osprey API canary: each call is an HTTP step; the step fails on an unexpected status or body.
const synthetics = require('Synthetics');
const log = require('SyntheticsLogger');

const calls = {{REQUESTS}};

synthetics.getConfiguration().setConfig({
  includeRequestHeaders: true,
  includeResponseHeaders: true,
  includeRequestBody: true,
  includeResponseBody: true,
  restrictedHeaders: ['Authorization', 'X-Amz-Security-Token'],
  // One failed call fails the run, and the later calls still run and report.
  continueOnHttpStepFailure: true,
});

function valueAt(obj, path) {
  return path.split('.').reduce((v, key) => (v == null ? undefined : v[key]), obj);
}

function validator(call) {
  return (res) =>
    new Promise((resolve, reject) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('error', reject);
      res.on('end', () => {
        try {
          const expected = call.expectStatus;
          const ok = expected ? res.statusCode === expected : res.statusCode >= 200 && res.statusCode < 300;
          if (!ok) throw new Error(call.name + ': status ' + res.statusCode + ' ' + res.statusMessage + (expected ? ', expected ' + expected : ''));
          if (call.expectJson) {
            const json = JSON.parse(body);
            for (const [path, want] of Object.entries(call.expectJson)) {
              const got = valueAt(json, path);
              if (JSON.stringify(got) !== JSON.stringify(want)) {
                throw new Error(call.name + ': ' + path + ' is ' + JSON.stringify(got) + ', expected ' + JSON.stringify(want));
              }
            }
          }
          log.info(call.name + ': ' + res.statusCode + ' as expected');
          resolve();
        } catch (e) {
          reject(e);
        }
      });
    });
}

function requestOptions(call) {
  const u = new URL(call.url);
  const body = call.body === undefined ? undefined : typeof call.body === 'string' ? call.body : JSON.stringify(call.body);
  return {
    hostname: u.hostname,
    port: u.port || undefined,
    protocol: u.protocol,
    path: u.pathname + u.search,
    method: call.method || 'GET',
    headers: Object.assign({ 'User-Agent': synthetics.getCanaryUserAgentString() }, call.headers || {}),
    body,
  };
}

exports.handler = async () => {
  for (const call of calls) {
    await synthetics.executeHttpStep(call.name, requestOptions(call), validator(call));
  }
};
`,
};

// The acceptance apps of issue 18: Express services instrumented with aws-xray-sdk-express (open/
// close segment middleware) whose outgoing HTTP calls are captured with captureHTTPsGlobal, sending
// to the daemon address in AWS_XRAY_DAEMON_ADDRESS. One service per process (the SDK's segment name
// is process-wide):
//   node xray-express-app.cjs payments          → serves GET /pay (50 ms), prints {"port":N}
//   node xray-express-app.cjs checkout <port>   → serves GET /checkout, which calls payments and
//                                                 answers after ~250 ms; requests it 3 times, 1.1 s apart, prints {"requests":3}
const http = require('node:http');
const AWSXRay = require('aws-xray-sdk-core');
AWSXRay.setLogger({ error() {}, warn() {}, info() {}, debug() {} });
AWSXRay.captureHTTPsGlobal(http, true);
const xrayExpress = require('aws-xray-sdk-express');
const express = require('express');

function serve(name, route, handler) {
  const a = express();
  a.use(xrayExpress.openSegment(name));
  a.get(route, handler);
  a.use(xrayExpress.closeSegment());
  return new Promise((resolve) => { const s = a.listen(0, '127.0.0.1', () => resolve(s)); });
}

const [role, payPort] = process.argv.slice(2);
(async () => {
  if (role === 'payments') {
    const s = await serve('payments', '/pay', (req, res) => setTimeout(() => res.send('paid'), 50));
    console.log(JSON.stringify({ port: s.address().port }));
    return;
  }
  const s = await serve('checkout', '/checkout', (req, res) => {
    http.get(`http://127.0.0.1:${payPort}/pay`, (r) => {
      r.resume();
      r.on('end', () => setTimeout(() => res.send('ok'), 200));
    });
  });
  // A second apart: the Default sampling rule takes one request per second (reservoir) plus 5 %.
  for (let i = 0; i < 3; i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 1100));
    await new Promise((resolve) => http.get(`http://127.0.0.1:${s.address().port}/checkout`, (r) => (r.resume(), r.on('end', resolve))));
  }
  setTimeout(() => {
    console.log(JSON.stringify({ requests: 3 }));
    process.exit(0);
  }, 500);
})();

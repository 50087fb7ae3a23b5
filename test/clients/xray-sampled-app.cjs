// An HTTP service instrumented with aws-xray-sdk-core's middleware (centralized sampling, the SDK's
// default: rules and reservoir targets come through the daemon's TCP port), driven at a fixed rate
// for a number of seconds. Prints one JSON line: how many requests it served.
const http = require('node:http');
const AWSXRay = require('aws-xray-sdk-core');

AWSXRay.setLogger({ error() {}, warn() {}, info() {}, debug() {} });
AWSXRay.middleware.setDefaultName('sampled-app');
const [seconds = '12', rate = '50'] = process.argv.slice(2);

const server = http.createServer((req, res) => {
  AWSXRay.middleware.traceRequestResponseCycle(req, res);
  res.end('ok');
});
const agent = new http.Agent({ keepAlive: true });
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  let sent = 0;
  const timer = setInterval(() => {
    sent++;
    http.get({ host: '127.0.0.1', port, path: `/item/${sent}`, agent }, (r) => r.resume());
  }, 1000 / Number(rate));
  setTimeout(() => {
    clearInterval(timer);
    setTimeout(() => {
      console.log(JSON.stringify({ sent }));
      process.exit(0);
    }, 500);
  }, Number(seconds) * 1000);
});

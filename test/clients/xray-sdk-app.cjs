// An app instrumented with aws-xray-sdk-core (3.12), as a user would write it: the daemon address
// comes from AWS_XRAY_DAEMON_ADDRESS; sampling rules and targets are fetched through the daemon's
// TCP port by the SDK's own ServiceConnector; one segment with an annotation and a captured
// downstream HTTP call is sent over UDP. Prints one JSON line with what the SDK parsed.
const http = require('node:http');
const AWSXRay = require('aws-xray-sdk-core');
const ServiceConnector = require('aws-xray-sdk-core/dist/lib/middleware/sampling/service_connector');

AWSXRay.setContextMissingStrategy('LOG_ERROR');
AWSXRay.setLogger({ error() {}, warn() {}, info() {}, debug() {} });
const tracedHttp = AWSXRay.captureHTTPs(http, false);

const downstream = http.createServer((req, res) => { res.writeHead(200); res.end('ok'); });
downstream.listen(0, '127.0.0.1', () => {
  const port = downstream.address().port;
  ServiceConnector.fetchSamplingRules((err, rules) => {
    if (err) throw err;
    ServiceConnector.fetchTargets(rules, (err2, targets, freshness) => {
      if (err2) throw err2;
      const segment = new AWSXRay.Segment('checkout');
      segment.addAnnotation('order', 'o-1');
      const ns = AWSXRay.getNamespace();
      ns.run(() => {
        AWSXRay.setSegment(segment);
        tracedHttp.get(`http://127.0.0.1:${port}/pay`, (res) => {
          res.resume();
          res.on('end', () => {
            segment.close();
            console.log(JSON.stringify({ traceId: segment.trace_id, rules: rules.map((r) => r.getName()), targets: Object.keys(targets), freshness }));
            setTimeout(() => { downstream.close(); process.exit(0); }, 300);
          });
        });
      });
    });
  });
});

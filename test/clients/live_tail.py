"""Live Tail from boto3 against Osprey: starts a session and prints one JSON line per thing seen
({"start": {...}} for sessionStart, {"event": {...}} per sessionUpdate result), exiting 0 after
<count> results. Errors go to stderr with a non-zero exit.
Usage: python3 live_tail.py <endpoint> <log-group-arn> <filter-pattern> <count>

botocore before 1.31 has no StartLiveTail in its bundled model; point AWS_DATA_PATH at a folder
holding logs/2014-03-28/service-2.json to give it one."""
import json
import sys

import boto3
from botocore.config import Config

endpoint, arn, pattern, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
# StartLiveTail's model sets hostPrefix "stream-"; against 127.0.0.1 that name does not resolve.
logs = boto3.client("logs", endpoint_url=endpoint, region_name="us-east-1",
                    aws_access_key_id="test", aws_secret_access_key="test",
                    config=Config(inject_host_prefix=False, retries={"max_attempts": 1}))
res = logs.start_live_tail(logGroupIdentifiers=[arn], logEventFilterPattern=pattern)
stream = res["responseStream"]
seen = 0
try:
    for ev in stream:
        if "sessionStart" in ev:
            print(json.dumps({"start": ev["sessionStart"]}), flush=True)
        for r in ev.get("sessionUpdate", {}).get("sessionResults", []):
            print(json.dumps({"event": r}), flush=True)
            seen += 1
        if seen >= count:
            break
finally:
    stream.close()
sys.exit(0 if seen >= count else 1)

"""boto3 round trip against Osprey: create group and stream, put 10,000 events, read them back
paging forward and backward with GetLogEvents. Prints a JSON summary; exits non-zero on mismatch.
Usage: python3 logs_roundtrip.py <endpoint> <group>"""
import json
import sys
import time

import boto3
import botocore

endpoint, group = sys.argv[1], sys.argv[2]
logs = boto3.client("logs", endpoint_url=endpoint, region_name="us-east-1",
                    aws_access_key_id="test", aws_secret_access_key="test")
logs.create_log_group(logGroupName=group)
logs.create_log_stream(logGroupName=group, logStreamName="s1")
start = int(time.time() * 1000) - 3_600_000
events = [{"timestamp": start + i // 3, "message": f"boto-{i} \u00fc\t\"q\""} for i in range(10_000)]
put = logs.put_log_events(logGroupName=group, logStreamName="s1", logEvents=events)
assert "rejectedLogEventsInfo" not in put, put

def forward():
    out, token = [], None
    while True:
        kw = {"nextToken": token} if token else {}
        page = logs.get_log_events(logGroupName=group, logStreamName="s1", startFromHead=True, limit=2500, **kw)
        out += page["events"]
        if page["nextForwardToken"] == token:
            return out
        token = page["nextForwardToken"]

def backward():
    pages, token = [], None
    while True:
        kw = {"nextToken": token} if token else {}
        page = logs.get_log_events(logGroupName=group, logStreamName="s1", startFromHead=False, limit=2500, **kw)
        pages.insert(0, page["events"])
        if page["nextBackwardToken"] == token:
            return [e for p in pages for e in p]
        token = page["nextBackwardToken"]

want = [(e["timestamp"], e["message"]) for e in events]
fwd = [(e["timestamp"], e["message"]) for e in forward()]
bwd = [(e["timestamp"], e["message"]) for e in backward()]
err = None
try:
    logs.create_log_group(logGroupName=group)
except logs.exceptions.ResourceAlreadyExistsException as e:
    err = e.response["Error"]["Code"]
print(json.dumps({"botocore": botocore.__version__, "forward_ok": fwd == want, "backward_ok": bwd == want,
                  "count": len(fwd), "duplicate_error": err}))
sys.exit(0 if fwd == want and bwd == want and err == "ResourceAlreadyExistsException" else 1)

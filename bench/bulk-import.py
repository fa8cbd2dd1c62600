#!/usr/bin/env python3
"""Measures bulk contact import against a running server: N new contacts in calls of 4,000,
from C concurrent clients, timed until GET /api/v2/contacts/count shows them all.

usage: bench/bulk-import.py [--base http://localhost:8080] [--key KEY] [--contacts 100000] [--clients 2]
"""
import argparse, json, time, urllib.request, uuid
from concurrent.futures import ThreadPoolExecutor

p = argparse.ArgumentParser()
p.add_argument("--base", default="http://localhost:8080")
p.add_argument("--key", required=True)
p.add_argument("--contacts", type=int, default=100_000)
p.add_argument("--clients", type=int, default=2)
a = p.parse_args()

def call(method, path, body=None):
    req = urllib.request.Request(a.base + path, method=method, data=body,
                                 headers={"apikey": a.key, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=300) as r:
        return json.loads(r.read())

run = uuid.uuid4().hex[:8]
bodies = []
for start in range(0, a.contacts, 4000):
    rows = [{"email": f"bulk-{run}-{i}@example.se", "firstName": "Bulk", "lastName": f"N{i}",
             "mobilePhone": f"+4670{i:07d}", "city": "Stockholm", "countryCode": "SE",
             "preferences": {"acceptsEmail": True}}
            for i in range(start, min(start + 4000, a.contacts))]
    bodies.append(json.dumps(rows).encode())

before = call("GET", "/api/v2/contacts/count")
t0 = time.perf_counter()
with ThreadPoolExecutor(a.clients) as pool:
    batches = list(pool.map(lambda b: call("POST", "/api/v2/contacts/bulk?contactType=Member", b), bodies))
while call("GET", "/api/v2/contacts/count") - before < a.contacts:
    time.sleep(0.05)
elapsed = time.perf_counter() - t0
failed = sum(call("GET", f"/api/v2/contacts/bulk/status?batchId={b}")["failed"] for b in batches)
print(f"bulk import: {a.contacts} contacts in {elapsed:.2f} s = {a.contacts / elapsed:,.0f} contacts/s "
      f"({a.clients} clients, {len(bodies)} calls, {failed} rows failed)")

#!/usr/bin/env bash
# Side by side, in one run: a full listing of one region against the embedded simulator,
# by Alibaba Cloud's official Python SDK (aliyun-python-sdk-core) paging one page at a
# time and with 16 worker threads, and by ecsimg; then every region at once against the
# largest alone.
#
#   benches/compare.sh                 5,000 images, 50 ms a request, 5 runs each
#   IMAGES=10000 LATENCY_MS=80 RUNS=3 benches/compare.sh
#
# It builds the release binary, starts `ecsimg sim --images N --latency-ms MS`, makes a
# throw-away virtualenv (removed at the end) with the SDK from PyPI, and prints a table
# with the ratios. Nothing is installed outside the temporary directory.
set -euo pipefail

IMAGES="${IMAGES:-5000}"
LATENCY_MS="${LATENCY_MS:-50}"
RUNS="${RUNS:-5}"
SDK_VERSION="${SDK_VERSION:-2.16.1}"
cd "$(dirname "$0")/.."

cargo build --release --quiet
BIN="$PWD/target/release/ecsimg"
WORK="$(mktemp -d)"
SIM_PID=""
cleanup() {
    if [ -n "$SIM_PID" ]; then kill "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN" sim --images "$IMAGES" --latency-ms "$LATENCY_MS" > "$WORK/sim.out" 2>&1 &
SIM_PID=$!
for _ in $(seq 1 200); do
    grep -q '^endpoint:' "$WORK/sim.out" 2>/dev/null && break
    sleep 0.05
done
ENDPOINT="$(sed -n 's/^endpoint: *//p' "$WORK/sim.out" | head -1)"
[ -n "$ENDPOINT" ] || { echo "the simulator did not start:"; cat "$WORK/sim.out"; exit 1; }

python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install --quiet --disable-pip-version-check "aliyun-python-sdk-core==$SDK_VERSION"

export ENDPOINT BIN RUNS IMAGES LATENCY_MS SDK_VERSION
export ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tDemoEcsimgKey0001
export ALIBABA_CLOUD_ACCESS_KEY_SECRET=demo-secret-not-for-production
"$WORK/venv/bin/python" - <<'PY'
import json, os, platform, statistics, subprocess, time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import CommonRequest

endpoint = os.environ["ENDPOINT"]
host = urlparse(endpoint).netloc
key, secret = os.environ["ALIBABA_CLOUD_ACCESS_KEY_ID"], os.environ["ALIBABA_CLOUD_ACCESS_KEY_SECRET"]
runs = int(os.environ["RUNS"])
region = "cn-hangzhou"
statuses = "Available,Deprecated,Creating,Waiting,UnAvailable,CreateFailed"
client = AcsClient(key, secret, region)

def page(n):
    r = CommonRequest(domain=host, version="2014-05-26", action_name="DescribeImages")
    r.set_protocol_type("http")
    r.set_method("GET")
    for k, v in [("RegionId", region), ("ImageOwnerAlias", "self"), ("Status", statuses),
                 ("PageSize", "100"), ("PageNumber", str(n))]:
        r.add_query_param(k, v)
    return json.loads(client.do_action_with_exception(r))

def sdk(workers):
    first = page(1)
    pages = (first["TotalCount"] + 99) // 100
    images = list(first["Images"]["Image"])
    if workers == 1:
        rest = [page(n) for n in range(2, pages + 1)]
    else:
        with ThreadPoolExecutor(workers) as pool:
            rest = list(pool.map(page, range(2, pages + 1)))
    for p in rest:
        images.extend(p["Images"]["Image"])
    return len(images)

def ecsimg(*extra):
    out = subprocess.run([os.environ["BIN"], "images", "list", "--endpoint", endpoint,
                          "--output", "ids", *extra],
                         check=True, capture_output=True, text=True).stdout
    return len(out.split())

def median(f):
    times, count = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        count = f()
        times.append(time.perf_counter() - started)
    return count, statistics.median(times)

rows = [
    ("SDK, one page at a time", median(lambda: sdk(1))),
    ("SDK, 16 worker threads", median(lambda: sdk(16))),
    ("ecsimg images list", median(lambda: ecsimg("--region", region))),
]
regions = [
    ("ecsimg, the largest region alone", median(lambda: ecsimg("--regions", region))),
    ("ecsimg --all-regions", median(lambda: ecsimg("--all-regions"))),
]
print(f"\n{os.environ['IMAGES']} images in {region}, {os.environ['LATENCY_MS']} ms a request, "
      f"median of {runs}; aliyun-python-sdk-core {os.environ['SDK_VERSION']}, "
      f"Python {platform.python_version()}, {os.cpu_count()} CPUs\n")
print("| client | images | time | ecsimg is |")
print("|---|---|---|---|")
ours = rows[2][1][1]
for name, (count, t) in rows:
    ratio = "—" if name.startswith("ecsimg") else f"{t / ours:.2f}× faster"
    print(f"| {name} | {count} | {t:.2f} s | {ratio} |")
alone, every = regions[0][1][1], regions[1][1][1]
for name, (count, t) in regions:
    print(f"| {name} | {count} | {t:.2f} s | |")
print(f"\nall regions take {every / alone:.2f}× the time of the largest alone")
PY

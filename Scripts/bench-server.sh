#!/usr/bin/env bash
# make bench-server: wrk against a release `medlocal serve` on loopback — POST /api/v1/phi/scan with a 2 KB note
# (each response sent only after its audit record is durable), GET / (the browser UI's page) and GET /openapi.json —
# printing requests/s and p50/p99 latency. Server and wrk share the machine's cores, as they would on one host.
#   Scripts/bench-server.sh MEDLOCAL NOTE WORKDIR [SECONDS] ["CONNECTIONS …"]   (the scan runs once per count)
set -euo pipefail
medlocal=$1 note=$2 work=$3 seconds=${4:-10} counts=${5:-"8 16 32"}
port=${BENCH_PORT:-7871}
rm -rf "$work" && mkdir -p "$work/var"
"$medlocal" keygen -o "$work/var/key" >/dev/null
MEDLOCAL_LOG_LEVEL=warning "$medlocal" serve --data-dir "$work/var" --key-file "$work/var/key" --port "$port" \
	> "$work/serve.out" 2> "$work/serve.err" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q "MedLocal serving" "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
key=$(grep -o 'mlk_[A-Za-z0-9_-]*' "$work/serve.out" | head -1)
python3 - "$note" "$work/note.json" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
while len(text.encode()) < 2048: text += "\n" + text
text = text.encode()[:2048].decode("utf-8", "ignore")
json.dump({"text": text}, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
cat > "$work/scan.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $key"
local f = io.open("$work/note.json", "rb"); wrk.body = f:read("*a"); f:close()
LUA
report() {  # label, wrk output
	python3 - "$1" "$2" <<'PY'
import re, sys
label, text = sys.argv[1], open(sys.argv[2]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", text, re.M))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{label}: {rps:,.0f} requests/s, p50 {lat.get('50')}, p99 {lat.get('99')}" + (f", {errors.group(1)} non-2xx" if errors else ""))
PY
}
wrk -t2 -c8 -d2s -s "$work/scan.lua" "http://127.0.0.1:$port/api/v1/phi/scan" > /dev/null   # warm-up
for connections in $counts; do
	wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/scan.lua" "http://127.0.0.1:$port/api/v1/phi/scan" > "$work/scan.txt"
	report "POST /api/v1/phi/scan (2 KB note, $connections connections, ${seconds} s)" "$work/scan.txt"
done
wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port/" > "$work/ui.txt"
report "GET / (the browser UI, static, $connections connections, ${seconds} s)" "$work/ui.txt"
wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port/openapi.json" > "$work/static.txt"
report "GET /openapi.json (static, $connections connections, ${seconds} s)" "$work/static.txt"
records=$(curl -s -H "Authorization: Bearer $key" "http://127.0.0.1:$port/api/v1/audit/verify" | python3 -c "import json,sys; r=json.load(sys.stdin); print(r['records'], 'valid' if r['valid'] else 'INVALID')")
echo "audit chain after the run: $records records"

#!/usr/bin/env bash
# The bridge on a real PostgreSQL: each script in Tests/Bridge runs with
# `sagalab run --bridge`, which starts a throwaway cluster, the shop's processes, and
# removes it all at the end. Assertions read the databases' rows through `check` (and
# `show`). Real processes and wall time: every wait is `run`, which waits on a condition
# (no process has work left) with a timeout, never a fixed sleep.
set -u
bin="$1"
dir="$(cd "$(dirname "$0")" && pwd)/Bridge"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
check() { # check NAME CONDITION...
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $name"; fi
}
has() { grep -qF -- "$2" "$tmp/$1.out"; }
lacks() { ! grep -qF -- "$2" "$tmp/$1.out"; }
# The text after the Nth `lab> check` line (1-based), up to the next prompt.
nth_check() { awk -v n="$2" '/^lab> /{inside = ($0 == "lab> check") ? ++k == n : 0; next} inside' "$tmp/$1.out"; }
clusters() { ls -d /tmp/sagalab-bridge-* 2>/dev/null | wc -l; }
workers() { pgrep -fc "sagalab worker " || true; }

before=$(clusters)
workers_before=$(workers)
start=$(date +%s%N)
for script in happy-path orders-killed-after-commit atomic-mark check-then-act-race killed-mid-transaction; do
  timeout 120 "$bin" run "$dir/$script.lab" --bridge > "$tmp/$script.out" 2>&1
  check "$script exits 0" [ $? -eq 0 ]
done

check "happy path: every invariant holds" has happy-path "all 10 checked invariants hold"
check "happy path: three orders confirmed" [ "$(grep -cE '^ord-[0-9]+ .* CONFIRMED' "$tmp/happy-path.out")" -eq 3 ]

check "after-commit crash: the client hears nothing" has orders-killed-after-commit "no response: the connection dropped (yet ord-1 was saved)"
check "after-commit crash: the outbox still delivers" has orders-killed-after-commit "orders-publisher: published order.created evt-1"
check "after-commit crash: the order is confirmed" has orders-killed-after-commit "orders:    CONFIRMED"
check "after-commit crash: every invariant holds" has orders-killed-after-commit "all 10 checked invariants hold"

# Each of the four copies is refused: by the unique key while the first copy's transaction
# is open (already marked), or by the check once it committed (already processed).
refused=$(grep -cE "inventory: evt-[0-9]+ already (marked|processed)" "$tmp/atomic-mark.out")
check "atomic mark: every copy refused ($refused)" [ "$refused" -ge 4 ]
check "atomic mark: a concurrent copy is refused by the unique key" has atomic-mark "already marked: the conditional write fails"
check "atomic mark: every invariant holds" has atomic-mark "all 10 checked invariants hold"

check "check-then-act: an event applied twice" has check-then-act-race "FAIL no consumer applied one event twice"
check "check-then-act: a double reservation" has check-then-act-race "holds 2 reservations"

nth_check killed-mid-transaction 1 > "$tmp/first"
nth_check killed-mid-transaction 2 > "$tmp/second"
check "mid-transaction: the process crashed there" has killed-mid-transaction "inventory: CRASHED at mid-compensation"
check "mid-transaction: stock conserved after the crash" grep -q "^ok stock conserved" "$tmp/first"
check "mid-transaction: the reservation is still held" grep -q "^FAIL no reservation held for a cancelled or failed order" "$tmp/first"
check "mid-transaction: the redelivery releases it" grep -q "^ok no reservation held for a cancelled or failed order" "$tmp/second"
check "mid-transaction: stock conserved at the end" grep -q "^ok stock conserved" "$tmp/second"

# A script stops at its first rejected line, names it and fails; piped input goes on past
# it, as at a terminal, and its exit status says a line was rejected.
printf 'order kim prod-1\nbogus\norder lee prod-2\n' > "$tmp/rejected.lab"
timeout 120 "$bin" run "$tmp/rejected.lab" --bridge > "$tmp/rejected.out" 2>&1
check "a rejected script line fails the run" [ $? -eq 1 ]
check "the rejected line is named" has rejected "rejected.lab:2: error: unknown command 'bogus'"
check "nothing after it runs" lacks rejected "lee"
printf 'bogus\n' | timeout 120 "$bin" bridge > "$tmp/piped.out" 2>&1
check "piped input with a rejected line exits 1" [ $? -eq 1 ]

check "no cluster folder left behind" [ "$(clusters)" -eq "$before" ]

# A bridge killed with SIGKILL cannot clean up: its reaper stops the cluster and removes it.
mkfifo "$tmp/input"
"$bin" bridge < "$tmp/input" > "$tmp/killed.out" 2>&1 &
pid=$!
exec 3> "$tmp/input"
echo "order kim prod-1" >&3
for _ in $(seq 100); do grep -q "201 Created" "$tmp/killed.out" && break; sleep 0.1; done
check "a bridge from piped input answers" grep -q "201 Created" "$tmp/killed.out"
check "while it runs its cluster exists" [ "$(clusters)" -gt "$before" ]
kill -9 "$pid"
wait "$pid" 2>/dev/null
exec 3>&-
for _ in $(seq 100); do [ "$(clusters)" -eq "$before" ] && break; sleep 0.1; done
check "after SIGKILL the reaper removed the cluster" [ "$(clusters)" -eq "$before" ]
for _ in $(seq 50); do [ "$(workers)" -le "$workers_before" ] && break; sleep 0.1; done
check "no worker process outlives its bridge" [ "$(workers)" -le "$workers_before" ]

elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
echo "bridge tests: $passed passed, $failed failed ($((elapsed / 1000)).$(printf %03d $((elapsed % 1000))) s)"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# Times `sagalab run` on N orders in seed 003's flow (payment first, 30 % payment failures),
# with every invariant judged after every step. Speed is measured here, never asserted in
# tests. Targets on a 2-core machine, release build: 100 orders < 0.2 s, 400 < 1 s, 1000 < 5 s.
set -euo pipefail
bin="${1:?usage: run-orders.sh PATH-TO-SAGALAB}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for n in 100 400 1000; do
  {
    echo "flow payment-first"
    echo "fail payment 30%"
    for i in $(seq "$n"); do echo "order user-$i prod-1"; done
    echo "run quiet"
  } > "$tmp/orders-$n.lab"
  start=$(date +%s.%N)
  "$bin" run "$tmp/orders-$n.lab" > /dev/null
  end=$(date +%s.%N)
  printf '%5d orders: %.2f s\n' "$n" "$(echo "$end - $start" | bc)"
done

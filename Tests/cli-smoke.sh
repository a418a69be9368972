#!/usr/bin/env bash
# End-to-end checks of the sagalab executable: exit codes, FILE:LINE errors, piped
# input, save/replay, Ctrl-C (SIGINT) during a long run, `check` catching an edited
# transcript, and a run in limited address space.
set -u
bin="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
expect() {
  if [ "$1" = ok ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $2"; fi
}
result() { if eval "$1"; then expect ok "$2"; else expect no "$2"; fi; }

printf 'order a prod-1\n# comment\n\nordr b prod-2\nrun\n' > "$tmp/bad.lab"
"$bin" run "$tmp/bad.lab" > "$tmp/out" 2> "$tmp/err"; code=$?
result '[ $code -eq 1 ]' "run with a bad line exits 1"
result "grep -q \"^$tmp/bad.lab:4: error: unknown command 'ordr'\" \"$tmp/err\"" "the error names FILE:LINE"
result '! grep -q "^lab> run" "$tmp/out"' "run stops at the bad line"

printf 'help\norder a prod-1x2\nrun quiet\n' | "$bin" > "$tmp/piped"; code=$?
result '[ $code -eq 0 ] && grep -q "^lab> order a prod-1x2" "$tmp/piped" && grep -q "201 Created" "$tmp/piped"' "piped input works"
result '! grep -q $(printf "\\033") "$tmp/piped"' "piped output has no colour"

printf 'order a prod-1x2\ncrash inventory at after-effect\nrun\nsave %s\n' "$tmp/saved.lab" | "$bin" > /dev/null
result '[ -f "$tmp/saved.lab" ]' "save writes the script"
"$bin" run "$tmp/saved.lab" > "$tmp/replay1"; code=$?
"$bin" run "$tmp/saved.lab" > "$tmp/replay2"
result '[ $code -eq 0 ] && cmp -s "$tmp/replay1" "$tmp/replay2"' "a saved script replays identically"

for sub in "" repl run check bridge worker; do
  "$bin" help $sub > "$tmp/help" 2>&1
  result '[ -s "$tmp/help" ] && ! awk "length > 80 { found = 1 } END { exit !found }" "$tmp/help"' "sagalab help $sub fits 80 columns"
done

# A usage error prints the option's help on a line of its own: it fits 80 columns too.
for args in "run" "bogus" "check" "run x --export" "--seed x" "run --seed x y" "bridge --database" "run x --bridge --bridge"; do
  "$bin" $args > "$tmp/usage" 2>&1; code=$?
  result '[ $code -ne 0 ] && [ -s "$tmp/usage" ] && ! awk "length > 80 { found = 1 } END { exit !found }" "$tmp/usage"' "sagalab $args: the usage error fits 80 columns"
done

"$bin" run lesson-1 > "$tmp/lesson"; code=$?
result '[ $code -eq 0 ] && grep -q "Exercise solved" "$tmp/lesson"' "run lesson-1 plays and solves its exercise"

printf 'lab> order a prod-1\nlab> run quiet\n' > "$tmp/t.txt"
"$bin" check --update "$tmp/t.txt" > /dev/null
"$bin" check "$tmp/t.txt" > /dev/null; code=$?
result '[ $code -eq 0 ]' "check passes a fresh transcript"
sed -i 's/201 Created/200 OK/' "$tmp/t.txt"
"$bin" check "$tmp/t.txt" > "$tmp/diff"; code=$?
result '[ $code -eq 1 ] && grep -q "^-200 OK" "$tmp/diff" && grep -q "^+201 Created" "$tmp/diff"' "check catches an edited transcript with a diff"

# A world that stays busy for millions of steps: inventory reserves again on every
# payment.completed, and payment charges again on every inventory.reserved.
busy='stock prod-1 1000000\nsubscribe inventory payment.completed\norder a prod-1\n'
printf "$busy"'run quiet\nshow stock\nsave %s\nquit\n' "$tmp/stopped.lab" > "$tmp/in"
"$bin" < "$tmp/in" > "$tmp/repl" 2>&1 &
pid=$!
sleep 1; kill -INT $pid; wait $pid; code=$?
result '[ $code -eq 0 ] && grep -q "^interrupted after [0-9]* steps; now .*; 0 of 1 order PENDING$" "$tmp/repl"' "Ctrl-C stops run and the REPL goes on"
result 'grep -q "^lab> show stock" "$tmp/repl" && grep -q "^step [0-9]*$" "$tmp/stopped.lab" && ! grep -q "^run" "$tmp/stopped.lab"' "an interrupted run is saved as the steps it took"
"$bin" run "$tmp/stopped.lab" > "$tmp/replayed"
stock() { awk '/^lab> show stock/ { f = 1; next } /^lab> / { f = 0 } f' "$1"; }
result '[ -n "$(stock "$tmp/repl")" ] && [ "$(stock "$tmp/repl")" = "$(stock "$tmp/replayed")" ]' "the saved steps replay to the same world"

printf "$busy"'run\n' > "$tmp/busy.lab"
"$bin" run "$tmp/busy.lab" > "$tmp/out" 2> "$tmp/err" &
pid=$!
sleep 1; kill -INT $pid; wait $pid; code=$?
result '[ $code -eq 130 ] && grep -q "^$tmp/busy.lab:4: interrupted$" "$tmp/err" && grep -q "^interrupted after" "$tmp/out"' "Ctrl-C stops a script with status 130"
cr=$(printf '\r')
result '! grep -q settled "$tmp/out" && ! grep -q "$cr" "$tmp/out"' "no progress line in piped output"

printf 'order a prod-1x2\nrun quiet\n' > "$tmp/short.lab"
"$bin" run "$tmp/short.lab" --export html "$tmp/out.html" json "$tmp/out.json" --export mermaid "$tmp/out.mmd" ord-1 > "$tmp/out"; code=$?
result '[ $code -eq 0 ] && grep -q "^lab> export html $tmp/out.html" "$tmp/out" && grep -q "^lab> export mermaid $tmp/out.mmd ord-1" "$tmp/out"' "run --export echoes each export as a lab command"
result 'grep -q "<!DOCTYPE html>" "$tmp/out.html" && grep -q "sagalab-trace/1" "$tmp/out.json" && grep -q "^sequenceDiagram" "$tmp/out.mmd"' "run --export writes every format"
"$bin" run "$tmp/short.lab" --export json "$tmp/short.lab/x.json" > /dev/null 2> "$tmp/err"; code=$?
result '[ $code -eq 1 ] && [ "$(grep -c "^sagalab: error: cannot write" "$tmp/err")" -eq 1 ] && [ "$(grep -vc "^  " "$tmp/err")" -eq 1 ]' "an unwritable export file is one error (fitted to 80 columns) and exit 1"
printf 'order a prod-1\nexport json %s\nshow orders\n' "$tmp" | "$bin" > "$tmp/repl-export"
printf 'order a prod-1\nexport json %s\n' "$tmp/out.json" > "$tmp/again.lab"
"$bin" run "$tmp/again.lab" > /dev/null 2> "$tmp/err"; code=$?
result '[ $code -eq 1 ] && grep -q "^$tmp/again.lab:2: error: cannot write" "$tmp/err" && grep -q "exists" "$tmp/err"' "a script's export over a file that exists names FILE:LINE and exits 1"
result 'grep -q "^error: cannot write $tmp: it is a directory$" "$tmp/repl-export" && ! grep -q "^wrote" "$tmp/repl-export"' "the lab says only the error when an export cannot be written"
"$bin" run "$tmp/short.lab" --export pdf x > /dev/null 2>&1; code=$?
result '[ $code -ne 0 ]' "run --export refuses an unknown format"

printf 'lesson 1\n\n' | SAGALAB_PROGRESS="$tmp/progress" "$bin" > "$tmp/enter"
result 'grep -q "^lab> order alice prod-1x2$" "$tmp/enter" && grep -q "201 Created" "$tmp/enter"' "Enter in a lesson is echoed as the command it runs"

mkdir "$tmp/home"
printf 'order a prod-1\nsave ~/x.lab\nsave ~/x.lab\nsave ~/x.lab --force\nsave ~/missing/x.lab\n' | HOME="$tmp/home" "$bin" > "$tmp/saves"
result '[ -f "$tmp/home/x.lab" ] && [ ! -e "$tmp/home/missing" ]' "save ~/FILE writes under \$HOME and creates no directory"
result 'grep -q "^error: cannot write ~/x.lab: the file exists; add --force to replace it$" "$tmp/saves" && [ "$(grep -c "^saved 2 commands to ~/x.lab$" "$tmp/saves")" -eq 2 ]' "save refuses an existing file, and --force replaces it"
result 'grep -q "^error: cannot write ~/missing/x.lab: the directory ~/missing does not exist$" "$tmp/saves"' "save names the missing directory"

printf 'bogus\norder a prod-1\n' | SAGALAB_PROGRESS="$tmp/progress" "$bin" > "$tmp/bogus"; code=$?
result '[ $code -eq 1 ] && grep -q "^lab> order a prod-1" "$tmp/bogus"' "piped input with a rejected line goes on and exits 1"
printf 'a header and no prompt\n' > "$tmp/none.txt"
"$bin" check "$tmp/none.txt" > /dev/null 2> "$tmp/err"; code=$?
result '[ $code -eq 1 ] && tr "\n" " " < "$tmp/err" | tr -s " " | grep -q "no .lab> . line, so nothing to check"' "check fails a file with no lab> line"

"$bin" --version > "$tmp/v"; result 'grep -q "^sagalab " "$tmp/v"' "--version"
"$bin" run lesson-99 2> "$tmp/e"; code=$?
result '[ $code -ne 0 ] && grep -q "no lesson" "$tmp/e"' "unknown lesson is refused"

# The allocator (jemalloc, which keeps the address space it maps) must not cost a lab that
# fits in limited address space: with `ulimit -v`, it runs as without.
printf 'order user-1..2000 prod-1\nrun quiet\nshow analytics\n' > "$tmp/limited.lab"
"$bin" run "$tmp/limited.lab" > "$tmp/unlimited.out"
(ulimit -v 300000; "$bin" run "$tmp/limited.lab") > "$tmp/limited.out" 2>&1; code=$?
result '[ $code -eq 0 ] && cmp -s "$tmp/unlimited.out" "$tmp/limited.out"' "a lab under ulimit -v runs as without"

# A search bigger than the memory it may have stops and says so (MemoryUse.swift)
# instead of aborting on a failed allocation.
printf 'pattern all on\norder user-1..3 prod-1x2\nexplore faults=1 states=30000000\n' > "$tmp/big.lab"
(ulimit -v 300000; "$bin" run "$tmp/big.lab") > "$tmp/big.out" 2>&1; code=$?
result '[ $code -eq 0 ] && grep -q "past the .* this" "$tmp/big.out"' "explore stops within the memory it may have"

# So does a world too big for it: the order range stops between two requests (exit 130).
printf 'order user-1..300000 prod-1\nrun quiet\n' > "$tmp/huge.lab"
(ulimit -v 300000; "$bin" run "$tmp/huge.lab") > "$tmp/huge.out" 2> "$tmp/huge.err"; code=$?
result '[ $code -eq 130 ] && grep -q "grew to .* past the" "$tmp/huge.out" && grep -q "^$tmp/huge.lab:1: stopped: the lab outgrew" "$tmp/huge.err"' "an order range stops within the memory it may have"

echo "cli smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# Writes the fuzz target's seeds into DIR: every session of the transcripts and of the
# handbook's ```sagalab blocks (whole, and each block on its own), each session again at
# 40 and 160 columns, and every distinct command line alone. Also writes DIR.dict, the words of
# those lines, for libFuzzer's -dict. Usage: Tests/Fuzz/seeds.sh DIR
set -euo pipefail
dir=${1:?usage: seeds.sh DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$dir"
mkdir -p "$dir"

# The inputs of a transcript: the text after "lab> " (a bare "lab>" is Enter).
inputs() { sed -n -e 's/^lab> //p' -e 's/^lab>$//p' "$@"; }

session() { # NAME, then the inputs on stdin
    local name=$1
    cat >"$dir/$name"
    for width in 40 160; do
        { echo "# width $width"; cat "$dir/$name"; } >"$dir/$name-w$width"
    done
}

for file in "$root"/Tests/Transcripts/*.txt; do
    inputs "$file" | session "transcript-$(basename "$file" .txt)"
done
for file in "$root"/Tests/Transcripts/lessons/*.txt; do
    inputs "$file" | session "$(basename "$file" .txt)"
done

for file in "$root"/handbook/*.md; do
    name=chapter-$(basename "$file" .md)
    # A chapter's blocks together, as `sagalab check` plays them, then each block alone.
    awk '/^```sagalab[ \t]*$/ { on = 1; next } /^```[ \t]*$/ { on = 0 } on' "$file" | inputs | session "$name"
    awk -v out="$dir/$name-block-" '
        /^```sagalab[ \t]*$/ { on = 1; n++; next }
        /^```[ \t]*$/ { on = 0 }
        on && /^lab>( |$)/ { sub(/^lab> ?/, ""); print > (out n) }
    ' "$file"
done

cat "$root"/Tests/Transcripts/*.txt "$root"/Tests/Transcripts/lessons/*.txt "$root"/handbook/*.md \
    | inputs | grep -v '^$' | LC_ALL=C sort -u | awk -v out="$dir/line-" '{ printf "%s\n", $0 > (out NR); close(out NR) }'

# Words for the dictionary, quoted as libFuzzer wants; words with a quote or backslash left out.
cat "$dir"/line-* | tr ' ' '\n' | grep -v '^$' | grep -v '["\\]' | LC_ALL=C sort -u \
    | awk '{ printf "\"%s\"\n", $0 }' >"$dir.dict"

echo "fuzz seeds: $(ls "$dir" | wc -l) files in $dir, $(wc -l <"$dir.dict") dictionary words"

#!/usr/bin/env bash
# Benchmarks `dossier build` against Hugo on the same synthetic corpus.
#
#   bench/run.sh [WORKDIR]      (default: a new temporary folder)
#
# For 1,000 and 10,000 sources with 500 entities it alternates the two
# tools, RUNS times each, and measures: a full build from scratch, a no-op
# rebuild, a rebuild after one source changes and after the catalogue (Hugo:
# its configuration) changes; peak memory (/usr/bin/time -v), output size and
# search-index size. Raw figures go to WORKDIR/results.tsv, medians to stdout.
# Needs: cargo, hugo (Debian: apt-get install -y hugo), GNU time.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d)}"
runs="${RUNS:-3}"
sizes="${SIZES:-1000 10000}"
entities="${ENTITIES:-500}"
mkdir -p "$work"

(cd "$here" && cargo build --release --quiet --bin dossier --example gen_corpus)
target="${CARGO_TARGET_DIR:-$here/target}"
dossier="$target/release/dossier"
gen="$target/release/examples/gen_corpus"
command -v hugo >/dev/null || { echo "hugo is not installed" >&2; exit 1; }

results="$work/results.tsv"
printf 'sources\ttool\trun\tmeasure\tseconds\tpeak_kb\n' > "$results"

# Runs a command in a folder; appends its wall time and peak memory.
measure() { # sources tool run measure dir command...
    local n="$1" tool="$2" run="$3" what="$4" dir="$5"; shift 5
    local log="$work/time.log"
    (cd "$dir" && /usr/bin/time -v "$@" >/dev/null 2>"$log") || { cat "$log" >&2; exit 1; }
    local wall peak
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" |
        awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
    peak=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$tool" "$run" "$what" "$wall" "$peak" >> "$results"
}

touch_source() { # file: appends a sentence, as an edit would
    printf '\nA correction was appended to this article in run %s.\n' "$2" >> "$1"
}

for n in $sizes; do
    corpus="$work/corpus-$n"
    "$gen" --sources "$n" --entities "$entities" --out "$corpus" >/dev/null
    d="$corpus/dossier" h="$corpus/hugo"
    entity=$(ls "$d/content/entities" | head -1)
    for run in $(seq 1 "$runs"); do
        # dossier
        rm -rf "$d/public" "$d/.dossier-cache"
        measure "$n" dossier "$run" full "$d" "$dossier" build --quiet
        measure "$n" dossier "$run" noop "$d" "$dossier" build --quiet
        touch_source "$d/content/sources/article-00042.md" "$run"
        measure "$n" dossier "$run" one-source "$d" "$dossier" build --quiet
        printf 'aliases = ["Alias %s"]\n' "$run" > "$work/alias"
        sed -i '/^aliases = /d' "$d/content/entities/$entity"
        sed -i "2r $work/alias" "$d/content/entities/$entity"
        measure "$n" dossier "$run" catalogue "$d" "$dossier" build --quiet
        # Hugo
        rm -rf "$h/public" "$h/resources"
        measure "$n" hugo "$run" full "$h" hugo --quiet
        measure "$n" hugo "$run" noop "$h" hugo --quiet
        touch_source "$h/content/articles/article-00042.md" "$run"
        measure "$n" hugo "$run" one-source "$h" hugo --quiet
        printf '# run %s\n' "$run" >> "$h/hugo.toml"
        measure "$n" hugo "$run" catalogue "$h" hugo --quiet
    done
    for tool in dossier hugo; do
        out="$d/public"; [ "$tool" = hugo ] && out="$h/public"
        size=$(du -sb "$out" | cut -f1)
        search=$(find "$out" -maxdepth 2 -name 'search*' -print0 | du -cb --files0-from=- 2>/dev/null | tail -1 | cut -f1)
        files=$(find "$out" -type f | wc -l)
        printf '%s\t%s\t-\toutput_bytes\t%s\t-\n%s\t%s\t-\tsearch_bytes\t%s\t-\n%s\t%s\t-\tfiles\t%s\t-\n' \
            "$n" "$tool" "$size" "$n" "$tool" "${search:-0}" "$n" "$tool" "$files" >> "$results"
    done
done

# Medians per size, tool and measure.
awk -F'\t' 'NR > 1 { key = $1 "\t" $2 "\t" $4; v[key] = v[key] " " $5; m[key] = m[key] " " $6 }
END {
    for (key in v) {
        n = split(substr(v[key], 2), a, " "); asort(a)
        k = split(substr(m[key], 2), b, " "); asort(b)
        printf "%s\t%s\t%s\n", key, a[int((n + 1) / 2)], b[int((k + 1) / 2)]
    }
}' "$results" | sort -k1,1n -k3,3 -k2,2 | column -t -N sources,tool,measure,median,peak_kb
echo "raw results: $results"

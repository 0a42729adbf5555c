#!/usr/bin/env bash
# Benchmarks `dossier build` against Hugo on the same synthetic corpus.
#
#   bench/run.sh [WORKDIR]      (default: a new temporary folder)
#
# For 1,000 and 10,000 sources with 500 entities it alternates the two
# tools, RUNS times each, and measures: a full build from scratch, a no-op
# rebuild, a rebuild after one source changes (a paragraph added: "one-source";
# a word changed: "one-word") and after the catalogue (Hugo: its
# configuration) changes; peak memory (/usr/bin/time -v), output size and
# search-index size. Raw figures go to WORKDIR/results.tsv, medians to stdout.
# Needs: cargo, hugo (Debian: apt-get install -y hugo), GNU time, and
# about 6 GB of free disk for the outputs set aside at 10,000 sources.
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

# Moves the previous output aside before a full build; what is set aside is
# deleted once the runs of a size are done. On ext4 without a journal,
# files created within a minute of a large deletion make the kernel step
# over every inode just freed, a cost of the deletion that falls on the
# next build: more on Hugo's, whose site is a folder per page.
set_aside() { # paths...
    local bin
    bin=$(mktemp -d "$work/set-aside.XXXXXX")
    for path in "$@"; do
        if [ -e "$path" ]; then mv "$path" "$bin/"; fi
    done
}

touch_source() { # file run: appends a paragraph, as an update would
    printf '\nA correction was appended to this article in run %s.\n' "$2" >> "$1"
}

edit_word() { # file: changes one word, as fixing a typo would
    sed -i '0,/according to officials/s//according to some officials/' "$1"
}

for n in $sizes; do
    corpus="$work/corpus-$n"
    "$gen" --sources "$n" --entities "$entities" --out "$corpus" >/dev/null
    d="$corpus/dossier" h="$corpus/hugo"
    entity=$(ls "$d/content/entities" | sed -n 1p)
    for run in $(seq 1 "$runs"); do
        # dossier
        set_aside "$d/public" "$d/.dossier-cache"
        measure "$n" dossier "$run" full "$d" "$dossier" build --quiet
        measure "$n" dossier "$run" noop "$d" "$dossier" build --quiet
        touch_source "$d/content/sources/article-00042.md" "$run"
        measure "$n" dossier "$run" one-source "$d" "$dossier" build --quiet
        edit_word "$d/content/sources/article-00043.md"
        measure "$n" dossier "$run" one-word "$d" "$dossier" build --quiet
        printf 'aliases = ["Alias %s"]\n' "$run" > "$work/alias"
        sed -i '/^aliases = /d' "$d/content/entities/$entity"
        sed -i "2r $work/alias" "$d/content/entities/$entity"
        measure "$n" dossier "$run" catalogue "$d" "$dossier" build --quiet
        # Hugo
        set_aside "$h/public" "$h/resources"
        measure "$n" hugo "$run" full "$h" hugo --quiet
        measure "$n" hugo "$run" noop "$h" hugo --quiet
        touch_source "$h/content/articles/article-00042.md" "$run"
        measure "$n" hugo "$run" one-source "$h" hugo --quiet
        edit_word "$h/content/articles/article-00043.md"
        measure "$n" hugo "$run" one-word "$h" hugo --quiet
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
    # The deletion's cost must not fall on the next size's first builds:
    # written out, freed inodes are stepped over for a minute.
    rm -rf "$work"/set-aside.*
    sync
    sleep 61
done

# Medians per size, tool and measure (of the wall time and of peak memory).
median() { # column: prints "sources tool measure median" per group
    awk -F'\t' '$3 != "-"' "$results" | tail -n +2 | sort -t"$(printf '\t')" -k1,1n -k2,2 -k4,4 -k"$1","$1"g |
        awk -F'\t' -v c="$1" '
            function flush() { if (n) print key "\t" v[int((n + 1) / 2)] }
            { k = $1 "\t" $2 "\t" $4; if (k != key) { flush(); key = k; n = 0 } v[++n] = $c }
            END { flush() }'
}
{
    printf 'sources\ttool\tmeasure\tmedian_s\tpeak_kb\n'
    join -t"$(printf '\t')" <(median 5 | sed 's/\t/|/; s/\t/|/' | sort) \
        <(median 6 | sed 's/\t/|/; s/\t/|/' | sort) | tr '|' '\t' | sort -k1,1n -k3,3 -k2,2
    awk -F'\t' '$3 == "-" { print $1 "\t" $2 "\t" $4 "\t" $5 "\t-" }' "$results"
} | column -t
echo "raw results: $results"

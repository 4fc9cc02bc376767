#!/usr/bin/env bash
# What the EN analyzers add to compiling Runtime (issue #7; method and latest figure: docs/diagnostics/README.md, "Cost").
#
#   tools/measure-analyzer-cost.sh [repetitions=5]
#
# Rebuilds Runtime alone (--no-incremental --no-dependencies, so only its Csc runs) in three modes, interleaved so that
# machine load spreads evenly over them, and prints the median Csc task time of each:
#   all    every analyzer at its default severity (what every build does)
#   no-en  every EN rule set to none in a global config, so the compiler skips the EN analyzers; all else as in "all"
#   none   RunAnalyzers=false: no analyzer at all (the compiler's /skipanalyzers still runs source generators)
# The [AsyncBackend] generator runs in every mode (Runtime does not compile without it). The cost figure is
# (all - no-en) / no-en. -p:ReportAnalyzer=true is on in every mode; the EN analyzers' own execution time (summed over
# threads, so it can exceed their share of the wall clock) is read from its report in "all" mode.
set -euo pipefail
cd "$(dirname "$0")/.."

repetitions="${1:-5}"
configuration=Release
project=Runtime/EasyNetwork.Runtime.csproj
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "Preparing: building Runtime and its references once ($configuration)..."
dotnet build "$project" -c "$configuration" -nodeReuse:false --disable-build-servers > "$work/prepare.log" 2>&1 || { cat "$work/prepare.log"; exit 1; }

# Every EN rule known to this branch, from the one file that declares the IDs.
ids="$(grep -oE '"EN[0-9]{4}"' Generator/Diagnostics/DiagnosticIds.cs | tr -d '"' | sort -u)"
{
    echo "is_global = true"
    for id in $ids; do echo "dotnet_diagnostic.$id.severity = none"; done
} > "$work/en-off.globalconfig"
cat > "$work/en-off.targets" <<TARGETS
<Project>
  <ItemGroup>
    <!-- EditorConfigFiles, not GlobalAnalyzerConfigFiles: the SDK copies the latter into the former before this file is imported. -->
    <EditorConfigFiles Include="$work/en-off.globalconfig" />
  </ItemGroup>
</Project>
TARGETS

build() { # mode log
    local mode="$1" log="$2" extra=()
    case "$mode" in
        all) ;;
        no-en) extra=("-p:CustomAfterMicrosoftCommonTargets=$work/en-off.targets") ;;
        none) extra=("-p:RunAnalyzers=false") ;;
    esac
    dotnet build "$project" -c "$configuration" --no-restore --no-dependencies --no-incremental \
        -nodeReuse:false --disable-build-servers -p:UseSharedCompilation=false -p:ReportAnalyzer=true \
        -clp:PerformanceSummary -fl "-flp:LogFile=$log;Verbosity=detailed" "${extra[@]}" > "$log.console" 2>&1 \
        || { cat "$log.console"; exit 1; }
}

csc_ms() { grep -E '^\s+[0-9]+ ms\s+Csc\s' "$1.console" | awk '{ print $1 }' | head -n1; }

# The EasyNetwork.Generator assembly's line in the analyzer part of the report (before the generator part).
en_analyzer_s() {
    awk '/Total generator execution time/ { exit } /^[[:space:]]+[<0-9.]+[[:space:]]+[<0-9]+[[:space:]]+EasyNetwork\.Generator, Version/ { print $1; found = 1; exit } END { if (!found) print 0 }' "$1" | tr -d '<'
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: > "$work/all.ms"; : > "$work/no-en.ms"; : > "$work/none.ms"; : > "$work/en.s"
for ((i = 1; i <= repetitions; i++)); do
    for mode in all no-en none; do
        log="$work/$mode-$i.log"
        build "$mode" "$log"
        csc_ms "$log" >> "$work/$mode.ms"
        line="run $i $mode: Csc $(tail -n1 "$work/$mode.ms") ms"
        if [ "$mode" = all ]; then
            en_analyzer_s "$log" >> "$work/en.s"
            line="$line, EN analyzers $(tail -n1 "$work/en.s") s"
        elif [ "$mode" = no-en ] && awk -v s="$(en_analyzer_s "$log")" 'BEGIN { exit !(s >= 0.05) }'; then
            # With every rule off the compiler still initialises the analyzers (about 1 ms in all); real work means the mode is broken.
            echo "EN analyzers still ran with every EN rule off: the no-en mode is broken." >&2
            exit 1
        fi
        echo "$line"
    done
done

all="$(median < "$work/all.ms")"; noen="$(median < "$work/no-en.ms")"; none="$(median < "$work/none.ms")"; en="$(median < "$work/en.s")"
echo
echo "EN rules: $(echo $ids | wc -w); repetitions: $repetitions; $(nproc) CPUs; load average: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%d)"
echo "median Csc time: all ${all} ms, no-en ${noen} ms, none ${none} ms"
awk -v all="$all" -v noen="$noen" -v none="$none" -v en="$en" 'BEGIN {
    printf "EN rules add %.1f%% to compiling Runtime ((all - no-en) / no-en)\n", 100 * (all - noen) / noen
    printf "all analyzers add %.1f%% ((all - none) / none)\n", 100 * (all - none) / none
    printf "EN analyzers execution time (ReportAnalyzer, median): %.3f s = %.1f%% of the no-en Csc time\n", en, 100 * en * 1000 / noen
}'

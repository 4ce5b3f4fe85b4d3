#!/usr/bin/env bash
# Times `./lt eval` (box and mask LVIS evaluation) on an LVIS-v1-val-scale synthetic set and prints
# wall time and peak RSS of each run.
#
# Usage: bench/eval-benchmark.sh [--regenerate] [--images N] [--seed S] [--threads T] [--runs R]
#     [--types "bbox segm"] [--no-warmup]
#   The set is generated once into lt-datasets/target/bench/eval (override: LT_BENCH_DIR, e.g.
#   /tmp/evalbench, so that `mvn clean` keeps it) by
#   io.longtail.datasets.eval.EvalBenchmarkData (lt-datasets test sources): 20,000 images,
#   1203 categories (337 r / 461 c / 405 f), ~12 polygon instances per image with
#   neg/not-exhaustive category lists, 300 detections per image (6M), written as box results
#   (~0.5 GB) and compressed-RLE mask results (~1.4 GB). Generating takes several CPU-minutes.
# Environment: LT_JAVA_OPTS (JVM options of ./lt, default -Xmx8g), MVN_FLAGS (extra Maven flags, e.g. -o),
#   LT (the command to time instead of ./lt, e.g. LT="java -Xmx8g -cp CP io.longtail.cli.LtCommand").
# Reference: lvis-api (LVISEval) needs about 180-200 s and 15 GiB for bbox on LVIS v1 val, one core.
set -euo pipefail
cd "$(dirname "$0")/.."

dir="${LT_BENCH_DIR:-lt-datasets/target/bench/eval}"
images=20000
seed=1
threads="$(nproc)"
regenerate=0
runs=1
types="bbox segm"
warmup=1
while [ $# -gt 0 ]; do
  case "$1" in
    --regenerate) regenerate=1 ;;
    --images) images="$2"; shift ;;
    --seed) seed="$2"; shift ;;
    --threads) threads="$2"; shift ;;
    --runs) runs="$2"; shift ;;
    --types) types="$2"; shift ;;
    --no-warmup) warmup=0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
mvn_flags="${MVN_FLAGS:-}"

if [ "$regenerate" = 1 ] || [ ! -f "$dir/results-segm.json" ]; then
  echo "+ generating $images images into $dir (seed $seed)"
  # lt-datasets depends on lt-core: install it, so that a fresh clone resolves it.
  # shellcheck disable=SC2086
  ./mvnw -B -q $mvn_flags install -pl lt-core -am -DskipTests -Dspotless.check.skip=true
  # shellcheck disable=SC2086
  ./mvnw -B -q $mvn_flags test-compile -pl lt-datasets -Dspotless.check.skip=true
  cp_file="$PWD/lt-datasets/target/bench-classpath.txt"
  # shellcheck disable=SC2086
  ./mvnw -B -q $mvn_flags dependency:build-classpath -pl lt-datasets -Dmdep.outputFile="$cp_file"
  rm -rf "$dir"
  java -Xmx6g -cp "lt-datasets/target/test-classes:lt-datasets/target/classes:$(cat "$cp_file")" \
    io.longtail.datasets.eval.EvalBenchmarkData "$dir" "$images" "$seed"
fi
ls -l "$dir"

# shellcheck disable=SC2206
lt=(${LT:-./lt})
# Build (or rebuild) ./lt before timing, so that no build is timed.
"${lt[@]}" --version > /dev/null

first_type="${types%% *}"
if [ "$warmup" = 1 ]; then
  # One untimed evaluation first: it writes ./lt's class data sharing archive after a build (see
  # ./lt) and brings the files into the page cache, so that the timed runs start alike.
  echo "+ warm-up run ($first_type, not timed)"
  "${lt[@]}" eval --annotations "$dir/gt.json" --results "$dir/results-$first_type.json" \
    --iou-type "$first_type" --threads "$threads" --no-progress > /dev/null
fi

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
# Other work on the machine inflates wall time (and, less, CPU time): the load average is printed
# with every run; CPU time (user + sys) is the steadier figure.
for type in $types; do
  for run in $(seq "$runs"); do
    cmd=("${lt[@]}" eval --annotations "$dir/gt.json" --results "$dir/results-$type.json"
      --iou-type "$type" --threads "$threads" --no-progress --json "$dir/out-$type.json")
    load="$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "+ (load average $load) LT_JAVA_OPTS='${LT_JAVA_OPTS:-}' /usr/bin/time ${cmd[*]}"
    /usr/bin/time -f "%e %U %S %M" -o "$dir/time-$type.txt" "${cmd[@]}" | tee "$dir/log-$type.txt" \
      | grep -E '^(annotations|results|protocol|bbox|segm|total)|IoU=0.50:0.95 . area=   all . maxDets=[ 0-9-]+ catIds=all. = '
    read -r wall user sys rss < "$dir/time-$type.txt"
    printf '%s run %s: wall %s s, CPU %.1f s (user %s + sys %s), peak RSS %.0f MiB (JVM start included; load before %s)\n' \
      "$type" "$run" "$wall" "$(echo "$user + $sys" | bc -l)" "$user" "$sys" "$(echo "$rss / 1024" | bc -l)" "$load"
  done
done

#!/usr/bin/env bash
# Times loading an annotation file at LVIS v1 train scale with io.longtail.datasets.lvis.LvisReader
# and prints wall time, reading-thread CPU time, GC time, peak and retained heap, and the peak RSS
# of the JVM (from /usr/bin/time when present).
#
# Usage: bench/load-annotations.sh [FILE] [--regenerate] [--seed N] [--repeat R]
#   FILE defaults to lt-datasets/target/bench/lvis-v1-train-synthetic.json; when it does not exist,
#   a synthetic file with the LVIS v1 train sizes (100,170 images, 1203 categories, 1,270,141
#   annotations with polygons, about 0.9 GB) is generated there first (about a minute).
#   A real file works too: bench/load-annotations.sh /data/lvis/lvis_v1_train.json
# Environment: XMX (default 1500m; the dataset itself needs about 1.15 GiB, 1200m is the smallest
#   heap that loaded the synthetic file), MVN_FLAGS (extra Maven flags, e.g. -o for offline).
set -euo pipefail
cd "$(dirname "$0")/.."

file="${1:-lt-datasets/target/bench/lvis-v1-train-synthetic.json}"
shift || true
xmx="${XMX:-1500m}"
mvn_flags="${MVN_FLAGS:-}"

# lt-datasets depends on lt-core: install it, so that a fresh clone resolves it.
# shellcheck disable=SC2086
./mvnw -B -q $mvn_flags install -pl lt-core -am -DskipTests -Dspotless.check.skip=true
# shellcheck disable=SC2086
./mvnw -B -q $mvn_flags compile -pl lt-datasets
cp_file="$PWD/lt-datasets/target/bench-classpath.txt"
# shellcheck disable=SC2086
./mvnw -B -q $mvn_flags dependency:build-classpath -pl lt-datasets -Dmdep.outputFile="$cp_file"

cmd=(java "-Xmx$xmx" -cp "lt-datasets/target/classes:$(cat "$cp_file")"
  io.longtail.datasets.lvis.bench.LoadBenchmark "$file" "$@")
echo "+ java -Xmx$xmx -cp <lt-datasets classpath> io.longtail.datasets.lvis.bench.LoadBenchmark $file $*"
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "JVM peak RSS %M KiB, wall %e s (including JVM start)" "${cmd[@]}"
else
  "${cmd[@]}"
fi

#!/usr/bin/env bash
# JMH benchmark of TDE + background-exempted inference against plain causal-norm logits
# (1000 rows x 1204 classes x 1024 features). Not part of the test suite.
# Usage: bench/tde-benchmark.sh [extra JMH options, e.g. -f 1 -wi 3 -i 5]
set -euo pipefail
cd "$(dirname "$0")/.."
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
./mvnw -B -q -pl lt-core -am install -DskipTests -Dspotless.check.skip=true
./mvnw -B -q -pl lt-core test-compile -Dspotless.check.skip=true
cp_file=lt-core/target/bench.classpath
./mvnw -B -q -pl lt-core dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/$cp_file"
# Default JMH options when none are given: 1 fork, 3 warm-up and 5 measured iterations of 2 s.
if [ $# -eq 0 ]; then set -- -f 1 -wi 3 -w 2s -i 5 -r 2s; fi
java -cp "lt-core/target/test-classes:lt-core/target/classes:$(cat "$cp_file")" \
  org.openjdk.jmh.Main 'io.longtail.core.bench.TdeInferenceBenchmark' "$@"

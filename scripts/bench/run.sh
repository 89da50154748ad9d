#!/usr/bin/env bash
# Runs one benchmark scenario and merges its figures into bench/reports/latest/ (report.json, report.md,
# agents.png). Builds the bench module and its dependencies first (no tests), never installs anything into ~/.m2.
#   scripts/bench/run.sh certutil  [--certs=1000]
#   scripts/bench/run.sh handshake [--seconds=8 --warmup=3 --connections=64 --keys=P-256,RSA-2048 --modes=mtls,one-way]
#   scripts/bench/run.sh agents    [--agents=1000,5000,10000]
#   scripts/bench/run.sh jmh       [--include=REGEX --iterations=3]
# Pinning: this load generator runs on CPU ${BENCH_CLIENT_CPUS:-1}, servers on ${BENCH_SERVER_CPUS:-0}.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
cd "$root"
scenario="${1:?usage: scripts/bench/run.sh certutil|handshake|agents|jmh [options]}"
shift

cp_file="$root/bench/target/bench-classpath.txt"
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  echo "bench: building (mvn package, tests skipped)" >&2
  mvn -B -q -pl bench -am -Dmaven.test.skip=true package dependency:build-classpath \
    -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime >"$root/bench/target-build.log" 2>&1 \
    || { cat "$root/bench/target-build.log" >&2; exit 1; }
  rm -f "$root/bench/target-build.log"
fi
cp="$root/bench/target/classes:$(cat "$cp_file")"

# The agents scenario's Fleet Server JVMs start as `./flotilla server` does: from the product's jar and its
# class-data archive (scripts/lib/class-archive.sh), the bench's classes after it. The launcher builds the jar when
# sources changed; BENCH_CLASS_ARCHIVE=0 runs them from the bench classpath alone, without the archive.
server_jar_options=()
if [ "$scenario" = agents ] && [ "${BENCH_CLASS_ARCHIVE:-1}" != 0 ]; then
  "$root/flotilla" --version >/dev/null
  # shellcheck source=../lib/class-archive.sh
  . "$root/scripts/lib/class-archive.sh"
  class_archive "$root" "$root/.cache/flotilla.jar"   # the launcher's copy of cli/target/flotilla-all.jar
  server_jar_options=("-Dbench.server.jar=$root/.cache/flotilla.jar")
  if [ -n "$class_archive_file" ]; then
    server_jar_options+=("-Dbench.server.class-archive=$class_archive_file")
  fi
fi

# One measurement at a time on this box: a second run (another checkout, another session) waits here for the
# first to end, so two runs never share the CPUs and spoil each other's figures. BENCH_NO_LOCK=1 skips the wait.
if [ -z "${BENCH_NO_LOCK:-}" ]; then
  exec 9>"${BENCH_LOCK:-/tmp/flotilla-bench.lock}"
  if ! flock -n 9; then
    echo "bench: another benchmark is running on this machine; waiting for it to finish (BENCH_NO_LOCK=1 to skip)" >&2
    flock 9
  fi
fi

# Many connections: as many file descriptors as this shell may have (the hard limit caps it; see README).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "bench: fd limit $(ulimit -n) (hard $(ulimit -Hn)), fs.file-max $(cat /proc/sys/fs/file-max), load: $(cat /proc/loadavg)" >&2

pin=()
if command -v taskset >/dev/null && [ "$(nproc --all)" -ge 2 ]; then
  pin=(taskset -c "${BENCH_CLIENT_CPUS:-1}")
fi

case "$scenario" in
  handshake) scripts/bench/install-nginx.sh ;;
esac

exec "${pin[@]}" java -Xms512m -Xmx${BENCH_CLIENT_HEAP:-2g} -XX:+UseParallelGC "${server_jar_options[@]}" -cp "$cp" \
  dev.flotilla.bench.BenchMain \
  "$scenario" --server-cpus="${BENCH_SERVER_CPUS:-0}" "$@"

#!/usr/bin/env bash
# Cold start, lenet5-java against PyTorch's CPU engine (DJL), each from a fresh process:
#   1. train from launch to a tested model: ours with the given flags; PyTorch with the settings our run stored
#      in its checkpoint (same split, batches, initial weights, Adam, learning rate and schedule);
#   2. evaluate the test images with a model our train wrote: the evaluation's images/s as each program reports
#      its first pass, and the whole process's wall time and peak RSS (/usr/bin/time -v).
# Each command runs --runs times (default 3); the Markdown table gives medians.
#
# Build first, from the repository root:
#   ./mvnw -B -q package -DskipTests && ./mvnw -B -q -P peers -pl bench -am package -DskipTests
# then:
#   bench/scripts/cold-start.sh [--runs N] [--threads N] [--train-flags "FLAGS"] [--test-images N]
#                               [--model FILE] [--work DIR]
#
#   --train-flags  our train's options (default: "--epochs 3 --schedule cosine --lr 3e-3 --batch-size 60")
#   --test-images  evaluate only the first N test images (default: all 10,000)
#   --model        evaluate this model.safetensors and skip training
#   --threads      threads of both programs (default: the number of processors)
#   --work         where the runs write (default: a new temporary directory)
#
# Why a script and not a JMH suite: a cold start is a whole process, its JVM start, class loading, JIT warm-up,
# data loading and, for PyTorch, the native library; only launching the real commands measures that, and their
# wall time and peak RSS come from outside the process.
set -euo pipefail

RUNS=3
THREADS=$(nproc)
TRAIN_FLAGS="--epochs 3 --schedule cosine --lr 3e-3 --batch-size 60"
TEST_IMAGES=""
MODEL=""
WORK=""
TARGET_ACC=0.99

# usage EXIT: the comment above as help, to stdout for --help, to stderr after a mistake
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&$(( $1 == 0 ? 1 : 2 )); exit "$1"; }
die() { echo "error: $1" >&2; exit "${2:-1}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=${2:?--runs needs a value}; shift 2 ;;
    --threads) THREADS=${2:?--threads needs a value}; shift 2 ;;
    --train-flags) TRAIN_FLAGS=${2?--train-flags needs a value}; shift 2 ;;
    --test-images) TEST_IMAGES=${2:?--test-images needs a value}; shift 2 ;;
    --model) MODEL=${2:?--model needs a value}; shift 2 ;;
    --work) WORK=${2:?--work needs a value}; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "error: unknown option '$1'" >&2; usage 2 ;;
  esac
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive whole number, got '$RUNS'" 2
[[ "$THREADS" =~ ^[1-9][0-9]*$ ]] || die "--threads must be a positive whole number, got '$THREADS'" 2
[ -z "$TEST_IMAGES" ] || [[ "$TEST_IMAGES" =~ ^[1-9][0-9]*$ ]] || die "--test-images must be a positive whole number" 2

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"   # PyTorch's side reads MNIST from data/mnist, ours from its jar: the same files (data/mnist/SHA256SUMS)
APP=lenet-app/target/lenet-app.jar
PEERS=bench/target/benchmarks.jar
[ -x /usr/bin/time ] || die "needs GNU time at /usr/bin/time (Debian: apt-get install time)"
[ -f "$APP" ] || die "$APP is missing: build it with ./mvnw -B -q package -DskipTests"
# grep reads the whole listing (no -q): an early exit would fail the pipe under pipefail
unzip -l "$PEERS" 2>/dev/null | grep 'dev/lenet5/bench/PeerColdStart.class' > /dev/null \
  || die "$PEERS has no PyTorch peer: build it with ./mvnw -B -q -P peers -pl bench -am package -DskipTests"
if [ -n "$MODEL" ]; then
  [ -f "$MODEL" ] || die "the model file $MODEL does not exist"
  MODEL=$(cd "$(dirname "$MODEL")" && pwd)/$(basename "$MODEL")
fi
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/cold-start.XXXXXX")}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

# PyTorch's OpenMP threads would spin between parallel regions (see PeerBenchmark); the benchmarks run it passive.
export OMP_WAIT_POLICY=PASSIVE
OURS=(java --add-modules jdk.incubator.vector -jar "$APP")
THEIRS=(java -Dlenet5.mnist=data/mnist -cp "$PEERS" dev.lenet5.bench.PeerColdStart)

# run NAME COMMAND...: runs a command under /usr/bin/time -v; its stdout goes to $WORK/NAME.out, the time to .time
run() {
  local name=$1; shift
  if ! /usr/bin/time -v -o "$WORK/$name.time" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err"; then
    echo "error: $name failed: $*" >&2
    tail -n 5 "$WORK/$name.err" "$WORK/$name.out" >&2
    exit 1
  fi
}
# field NAME KEY: a key=value of NAME's RESULT line
field() {
  grep '^RESULT ' "$WORK/$1.out" | tail -n 1 | tr ' ' '\n' | sed -n "s/^$2=//p"
}
# wall NAME: seconds from /usr/bin/time's "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.34"
wall() {
  sed -n 's/.*Elapsed (wall clock) time.*: //p' "$WORK/$1.time" \
    | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }'
}
# rss NAME: peak resident set in MiB
rss() {
  sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/$1.time" | awk '{ print $1 / 1024 }'
}
# median VALUES...
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# measure PREFIX: medians of the runs PREFIX-1..N as "img_per_s acc wall rss" (img_per_s: eval or train)
measure() {
  local prefix=$1 key=$2 i ips=() acc=() w=() r=()
  for i in $(seq 1 "$RUNS"); do
    ips+=("$(field "$prefix-$i" "$key")"); acc+=("$(field "$prefix-$i" test_acc)")
    w+=("$(wall "$prefix-$i")"); r+=("$(rss "$prefix-$i")")
  done
  echo "$(median "${ips[@]}") $(median "${acc[@]}") $(median "${w[@]}") $(median "${r[@]}")"
}
# row WORKLOAD ENGINE "img_per_s acc wall rss" [TARGET]: a Markdown row; TARGET marks an accuracy below it
row() {
  local workload=$1 engine=$2 target=${4:-}
  # shellcheck disable=SC2086  # four numbers, split on purpose
  set -- $3
  awk -v w="$workload" -v e="$engine" -v ips="$1" -v acc="$2" -v wall="$3" -v rss="$4" -v target="$target" '
    function commas(n,   s, out) {
      s = sprintf("%.0f", n); out = ""
      while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
      return s out
    }
    BEGIN {
      a = sprintf("%.2f%%", 100 * acc)
      if (target != "" && acc < target) a = a sprintf(" (below %.1f%%)", 100 * target)
      printf "| %s | %s | %s | %s | %.1f s | %.0f MiB |\n", w, e, commas(ips), a, wall, rss
    }'
}

echo "cold start: $RUNS run(s) of each command, $THREADS thread(s), files in $WORK" >&2
# One untimed launch of each first: the jars come into the page cache, and DJL extracts libtorch into its cache
# once; the timed runs then start as a user's second launch would.
run warm-ours "${OURS[@]}" --version
run warm-pytorch "${THEIRS[@]}" engine --threads "$THREADS"
ENGINE=$(sed 's/, [0-9]* threads\{0,1\}$//' "$WORK/warm-pytorch.out")   # the threads have a place of their own
JDK=$(java -version 2>&1 | head -n 1)
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
LOAD=$(cut -d' ' -f1 /proc/loadavg)

EVAL_ARGS=()
[ -z "$TEST_IMAGES" ] || EVAL_ARGS=(--test-images "$TEST_IMAGES")
ROWS=()
if [ -z "$MODEL" ]; then
  # shellcheck disable=SC2086  # the flags are words
  for i in $(seq 1 "$RUNS"); do
    echo "train $i/$RUNS: ours" >&2
    run "train-ours-$i" "${OURS[@]}" train $TRAIN_FLAGS --threads "$THREADS" --out "$WORK/ours-train-$i"
  done
  OUR_KERNELS=$(field train-ours-1 kernels)
  for i in $(seq 1 "$RUNS"); do
    echo "train $i/$RUNS: PyTorch" >&2
    run "train-pytorch-$i" "${THEIRS[@]}" train --like "$WORK/ours-train-1/checkpoint.safetensors" --threads "$THREADS"
  done
  WORKLOAD="train \`$TRAIN_FLAGS\` and test"
  ROWS+=("$(row "$WORKLOAD" "lenet5-java ($OUR_KERNELS)" "$(measure train-ours train_img_per_s)" "$TARGET_ACC")")
  ROWS+=("$(row "" "PyTorch (DJL)" "$(measure train-pytorch train_img_per_s)" "$TARGET_ACC")")
  MODEL=$WORK/ours-train-1/model.safetensors
fi
for i in $(seq 1 "$RUNS"); do
  echo "evaluate $i/$RUNS: ours, PyTorch" >&2
  run "eval-ours-$i" "${OURS[@]}" evaluate --model "$MODEL" "${EVAL_ARGS[@]}" --threads "$THREADS"
  run "eval-pytorch-$i" "${THEIRS[@]}" evaluate --model "$MODEL" "${EVAL_ARGS[@]}" --threads "$THREADS"
done
OUR_KERNELS=$(field eval-ours-1 kernels)
IMAGES=$(field eval-ours-1 images)
[ "$IMAGES" = "$(field eval-pytorch-1 images)" ] || die "the two evaluations saw different numbers of images"
ROWS+=("$(row "evaluate $IMAGES test images, batches of 500" "lenet5-java ($OUR_KERNELS)" "$(measure eval-ours eval_img_per_s)")")
ROWS+=("$(row "" "PyTorch (DJL)" "$(measure eval-pytorch eval_img_per_s)")")

cat <<EOF
### Cold start: lenet5-java and PyTorch's CPU engine, fresh processes

CPU $CPU, $(nproc) cores | $JDK | $ENGINE | load $LOAD at the start | $THREADS thread(s) | medians of $RUNS run(s)

| workload | engine | images/s | test accuracy | wall time | peak RSS |
| --- | --- | --- | --- | --- | --- |
$(printf '%s\n' "${ROWS[@]}")

images/s: as each program reports its own passes (RESULT line: training epochs without validation, or the
one evaluation pass); wall time and peak RSS: the whole java process, launch to exit (/usr/bin/time -v).
PyTorch trains with the settings our first run stored in its checkpoint, from the same initial weights and on
the same batches; our run also keeps a weight average (--ema, default 0.999) and tests it, PyTorch tests its
last weights. Before timing, each program was launched once (page cache; DJL's one-time libtorch extraction).
EOF

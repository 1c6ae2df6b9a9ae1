#!/usr/bin/env bash
# Rebuilds the trained model the nn-layers jar carries,
#   nn-layers/src/main/resources/dev/lenet5/nn/classify/lenet5.safetensors
# with the command that made it: train --recipe best --seed 1 on 2 threads with the simd-512 kernels, JDK 17
# (about two minutes on 2 cores with AVX-512). A run is bit-for-bit repeatable for the same seed, thread count and
# kernels, so on such a CPU the rebuilt file has the committed file's bytes, its metadata included (which names
# the program version: after a version change only those bytes differ). A CPU without AVX-512 needs other
# kernels (--kernels simd-256, or scalar, much slower): a model about as accurate, with other bits.
#
# Build first, from the repository root:
#   ./mvnw -B -q package -DskipTests
# then:
#   lenet-app/scripts/bundled-model.sh [--check] [--kernels KIND] [--threads N] [--work DIR]
#
#   --check    rebuild into --work and compare with the committed file, leaving it as it is (exit 1 if they differ)
#   --kernels  the train command's --kernels (default: simd-512, as the committed model was made)
#   --threads  the train command's --threads (default: 2, as the committed model was made)
#   --work     where the training run writes (default: a new temporary directory)
set -euo pipefail

CHECK=0
KERNELS=simd-512
THREADS=2
WORK=""

# usage EXIT: the comment above as help, to stdout for --help, to stderr after a mistake
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&$(( $1 == 0 ? 1 : 2 )); exit "$1"; }
die() { echo "error: $1" >&2; exit "${2:-1}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --check) CHECK=1; shift ;;
    --kernels) KERNELS=${2:?--kernels needs a value}; shift 2 ;;
    --threads) THREADS=${2:?--threads needs a value}; shift 2 ;;
    --work) WORK=${2:?--work needs a value}; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "error: unknown option '$1'" >&2; usage 2 ;;
  esac
done
[[ "$THREADS" =~ ^[1-9][0-9]*$ ]] || die "--threads must be a positive whole number, got '$THREADS'" 2

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
APP="$ROOT/lenet-app/target/lenet-app.jar"
BUNDLED="$ROOT/nn-layers/src/main/resources/dev/lenet5/nn/classify/lenet5.safetensors"
[ -f "$APP" ] || die "$APP is missing: build it with ./mvnw -B -q package -DskipTests"
if [ -z "$WORK" ]; then
  WORK=$(mktemp -d)
fi
RUN="$WORK/bundled-model"
[ ! -e "$RUN" ] || die "$RUN already exists: choose another --work"

java --add-modules jdk.incubator.vector -jar "$APP" train --recipe best --seed 1 --threads "$THREADS" \
  --kernels "$KERNELS" --out "$RUN"

if [ "$CHECK" = 1 ]; then
  if cmp -s "$RUN/model.safetensors" "$BUNDLED"; then
    echo "the rebuilt model has the bytes of $BUNDLED"
  else
    echo "the rebuilt model $RUN/model.safetensors differs from $BUNDLED" >&2
    exit 1
  fi
else
  cp "$RUN/model.safetensors" "$BUNDLED"
  echo "wrote $BUNDLED; rebuild the jars (./mvnw -B -q package -DskipTests) to carry it"
fi

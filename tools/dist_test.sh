#!/usr/bin/env bash
# Distributed testing with torchrun (adapted from MMOCR 1.0.1's
# tools/dist_test.sh, which used the deprecated torch.distributed.launch).
#   bash tools/dist_test.sh CONFIG CHECKPOINT NPROC [test.py args...]
# NPROC processes per node: one per GPU, or CPU processes (gloo) on a
# machine without CUDA. Env: NNODES, NODE_RANK, PORT, MASTER_ADDR, PYTHON.
set -euo pipefail

if [ $# -lt 3 ]; then
    echo "usage: $0 CONFIG CHECKPOINT NPROC [test.py args...]" >&2
    exit 2
fi
CONFIG=$1
CHECKPOINT=$2
NPROC=$3
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}
TOOLS_DIR=$(cd "$(dirname "$0")" && pwd)

PYTHONPATH="$TOOLS_DIR/..${PYTHONPATH:+:$PYTHONPATH}" \
"${PYTHON:-python}" -m torch.distributed.run \
    --nnodes="$NNODES" \
    --node_rank="$NODE_RANK" \
    --master_addr="$MASTER_ADDR" \
    --nproc_per_node="$NPROC" \
    --master_port="$PORT" \
    "$TOOLS_DIR/test.py" \
    "$CONFIG" \
    "$CHECKPOINT" \
    --launcher pytorch "${@:4}"

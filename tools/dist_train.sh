#!/usr/bin/env bash
# Distributed training with torchrun (adapted from MMOCR 1.0.1's
# tools/dist_train.sh, which used the deprecated torch.distributed.launch).
#   bash tools/dist_train.sh CONFIG NPROC [train.py args...]
# NPROC processes per node: one per GPU, or CPU processes (gloo) on a
# machine without CUDA. Env: NNODES, NODE_RANK, PORT, MASTER_ADDR, PYTHON.
set -euo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 CONFIG NPROC [train.py args...]" >&2
    exit 2
fi
CONFIG=$1
NPROC=$2
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
    "$TOOLS_DIR/train.py" \
    "$CONFIG" \
    --launcher pytorch "${@:3}"

#!/usr/bin/env bash
# The reading tier alone: a clean venv (no system site-packages) with only
# `pip install -e .` reads the demo words and scores with the shipped ONNX
# models, without torch or OpenMMLab installed. Downloads come from pip's
# cache when present. Prints the time of each step.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=${PYTHON:-python}
VENV=$(mktemp -d "${TMPDIR:-/tmp}/crnn-reader-venv.XXXXXX")
trap 'rm -rf "$VENV"' EXIT
t0=$SECONDS
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -e .
t1=$SECONDS
echo "[reader-install] clean venv + pip install -e . in $((t1 - t0)) s"
"$VENV/bin/python" - <<'PYEOF'
import csv, importlib.util, subprocess, sys
for heavy in ('torch', 'mmengine', 'mmcv', 'mmdet', 'mmocr'):
    assert importlib.util.find_spec(heavy) is None, f'{heavy} is installed'
for tool, folder in (('tools/infer.py', 'demo/words'),
                     ('omr/recognize.py', 'demo/scores')):
    with open(f'{folder}/labels.tsv', newline='') as f:
        want = {f'{folder}/{n}': label for n, label in
                csv.reader(f, delimiter='\t')}
    out = subprocess.run([sys.executable, tool, folder], check=True,
                         capture_output=True, text=True).stdout
    got = {line.split('\t')[0]: line.split('\t')[1]
           for line in out.splitlines()}
    assert got == want, (tool, got, want)
    print(f'[reader-install] {tool} read {len(got)} {folder} images right')
PYEOF
echo "[reader-install] reading done in $((SECONDS - t1)) s"

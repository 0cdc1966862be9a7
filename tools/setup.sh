#!/usr/bin/env bash
# One-command setup for crnn-plugin.
#
# Installs into the CURRENTLY ACTIVE python (`python -m pip`; activate a venv or
# conda env first if you do not want to touch your default interpreter):
#   torch + torchvision, numpy<2, setuptools<70, opencv-python(-headless)<4.11,
#   mmengine 0.10.7, mmcv 2.0.1 WITH compiled ops, mmdet 3.1.0, mmocr 1.0.1,
#   pytest/hypothesis/lmdb/rapidfuzz/tqdm, and this repo (`pip install -e .`,
#   plus the requirements of its `train`, `onnx` and `tests` extras).
# Reading alone (the shipped ONNX models) needs only `pip install -e .`.
# Everything already satisfied is skipped, so a re-run is a fast no-op.
#
# mmcv 2.0.1 has no wheel for current torch. A prebuilt wheel is used when one
# built for the exact installed torch is found in (1) the wheel cache, then
# (2) each extra wheel dir (layout <dir>/torch-<ver>/mmcv-2.0.1-*.whl, or the
# wheel directly in <dir>); every candidate is verified after installing
# (mmcv.ops must import and nms must run). Otherwise mmcv is built from its sdist
# (-std=c++14 replaced by what torch needs: c++17 below torch 2.14, c++20 from
# 2.14; CPU ops, plus CUDA ops when nvcc AND a GPU are present), ~15-25 min on 2
# idle cores (56 min measured at nice 15 on 2 busy ones), and the wheel is stored
# in the cache for the next run.
#
# Usage: bash tools/setup.sh [--wheel-dir DIR]... [--force-build] [--with-synth] [-h|--help]
#   --wheel-dir DIR   extra directory to look for prebuilt mmcv wheels (repeatable)
#   --force-build     ignore prebuilt/cached wheels and (re)build mmcv from source
#   --with-synth      also apt-get install the fonts and word lists of the synthetic
#                     word-image generator (crnn_plugin/synth/font_packages.txt,
#                     ~140 Debian font packages, ~1 min; needs root), abcm2ps and
#                     musescore3 (engravers of the OMR score engine)
#
# Environment variables:
#   PYTHON                    interpreter to install into (default: python)
#   CRNN_TORCH_VERSION        default 2.14.1 (verified); 2.13.0 is verified too
#   CRNN_TORCHVISION_VERSION  default: 0.29.1 for torch 2.14.1, 0.28.0 for 2.13.0;
#                             required for any other torch version
#   CRNN_WHEEL_CACHE          wheel cache root (default ~/.cache/crnn-plugin/wheels);
#                             wheels live in <root>/torch-<ver>[-cuda]/
#   CRNN_EXTRA_WHEEL_DIRS     colon-separated extra wheel dirs (like --wheel-dir)
#   CRNN_MMCV_CXX_STD         override the C++ standard for the mmcv build (17, 20)
#   MAX_JOBS                  parallel compile jobs (default: nproc)
#   FORCE_CUDA                0/1: override the CUDA-ops decision for the build
#
# Expected pip message: "torch 2.14.1 requires setuptools>=77.0.3, but you have
# setuptools 69.5.1 which is incompatible." -- harmless: torch does not need
# setuptools at run time, while mmengine needs pkg_resources (setuptools<70) to
# resolve `mmocr::` configs and mmcv's setup.py imports it.
set -Eeuo pipefail

# ----------------------------------------------------------------------------
# Pins (the verified combination, see ../shared/wheels/README.md if present).
# ----------------------------------------------------------------------------
TORCH_VERSION=${CRNN_TORCH_VERSION:-2.14.1}
if [[ -n ${CRNN_TORCHVISION_VERSION:-} ]]; then
  TORCHVISION_VERSION=$CRNN_TORCHVISION_VERSION
else
  case "$TORCH_VERSION" in
    2.14.1) TORCHVISION_VERSION=0.29.1 ;;
    2.13.0) TORCHVISION_VERSION=0.28.0 ;;
    *) echo "[setup] ERROR: no known torchvision for torch $TORCH_VERSION;" \
         "set CRNN_TORCHVISION_VERSION too." >&2; exit 2 ;;
  esac
fi
MMENGINE_VERSION=0.10.7
MMCV_VERSION=2.0.1
MMDET_VERSION=3.1.0
MMOCR_VERSION=1.0.1
CORE_PINS=("numpy<2" "setuptools<70" "opencv-python<4.11"
           "opencv-python-headless<4.11" "mmengine==$MMENGINE_VERSION")
OPENMMLAB_PINS=("mmdet==$MMDET_VERSION" "mmocr==$MMOCR_VERSION")
TEST_TOOLS=(pytest hypothesis lmdb rapidfuzz tqdm music21 verovio cairosvg)

PY=${PYTHON:-python}
START_SECONDS=$SECONDS
CURRENT_STEP="start"
TORCH_CHANGED=0
FORCE_BUILD=0
EXTRA_DIRS=()

log()  { printf '[setup %4ds] %s\n' "$((SECONDS - START_SECONDS))" "$*"; }
warn() { printf '[setup] WARNING: %s\n' "$*" >&2; }
die()  { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }
step() { CURRENT_STEP=$1; log "=== $1"; }

add_wheel_dir() {  # resolve relative to the caller's cwd, before we cd
  local d=$1
  [[ -n $d ]] || return 0
  if [[ -d $d ]]; then
    EXTRA_DIRS+=("$(cd "$d" && pwd)")
  else
    warn "extra wheel dir '$d' does not exist; ignoring it"
  fi
}

WITH_SYNTH=0
while (($#)); do
  case "$1" in
    --wheel-dir) (($# >= 2)) || die "--wheel-dir needs a directory"
                 add_wheel_dir "$2"; shift 2 ;;
    --wheel-dir=*) add_wheel_dir "${1#--wheel-dir=}"; shift ;;
    --force-build) FORCE_BUILD=1; shift ;;
    --with-synth) WITH_SYNTH=1; shift ;;
    -h|--help) sed -n '2,/^set -Eeuo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
if [[ -n ${CRNN_EXTRA_WHEEL_DIRS:-} ]]; then
  IFS=: read -r -a _dirs <<<"$CRNN_EXTRA_WHEEL_DIRS"
  for _d in "${_dirs[@]}"; do add_wheel_dir "$_d"; done
fi

# Absolute interpreter path (a relative PYTHON=.venv/bin/python must survive the cd).
command -v "$PY" >/dev/null 2>&1 || die "'$PY' not found; activate your environment or set PYTHON"
PY=$("$PY" -c 'import sys; print(sys.executable)') || die "'$PY' does not run"
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"
CACHE_ROOT=${CRNN_WHEEL_CACHE:-$HOME/.cache/crnn-plugin/wheels}
STATE_DIR=${XDG_CACHE_HOME:-$HOME/.cache}/crnn-plugin/state   # editable-install stamps
WORK_TMP=$(mktemp -d "${TMPDIR:-/tmp}/crnn-setup.XXXXXX")
NEUTRAL_DIR=$WORK_TMP/cwd     # run import checks from here, not from the repo
mkdir -p "$NEUTRAL_DIR"
CONSTRAINTS=$WORK_TMP/constraints.txt
printf '%s\n' "torch==$TORCH_VERSION" "torchvision==$TORCHVISION_VERSION" \
  "${CORE_PINS[@]}" "mmcv==$MMCV_VERSION" "${OPENMMLAB_PINS[@]}" >"$CONSTRAINTS"

on_exit() {
  local rc=$?
  rm -rf "$WORK_TMP"
  if ((rc != 0)); then
    printf '[setup] FAILED in step "%s" (exit code %s) after %ds.\n' \
      "$CURRENT_STEP" "$rc" "$((SECONDS - START_SECONDS))" >&2
  fi
}
trap on_exit EXIT

export PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1
[[ -t 1 ]] || export PIP_PROGRESS_BAR=off

# ----------------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------------
pyrun() { (cd "$NEUTRAL_DIR" && "$PY" "$@"); }
pip_install() { log "pip install $*"; "$PY" -m pip install "$@"; }
apt_install() {  # apt-get install ARGS (options, packages) as root or via sudo
  local sudo=""; ((EUID == 0)) || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
}

dist_version() {  # installed version of a distribution, or nothing
  pyrun -c 'import sys, importlib.metadata as m
try:
    print(m.version(sys.argv[1]))
except m.PackageNotFoundError:
    pass' "$1"
}

# Print those requirement strings (args) that the environment does not satisfy.
unsatisfied() {
  pyrun - "$@" <<'PYEOF'
import sys, importlib.metadata as md
try:
    from packaging.requirements import Requirement
except ImportError:  # fresh env: fall back to pip's vendored copy
    from pip._vendor.packaging.requirements import Requirement
for spec in sys.argv[1:]:
    req = Requirement(spec)
    if req.marker is not None and not req.marker.evaluate({'extra': ''}):
        continue
    try:
        have = md.version(req.name)
    except md.PackageNotFoundError:
        print(spec)
        continue
    if not req.specifier.contains(have, prereleases=True):
        print(spec)
PYEOF
}

# ensure LABEL REQ... : install (with the pin constraints) only what is missing.
ensure() {
  local label=$1 out
  shift
  out=$(unsatisfied "$@")
  if [[ -z $out ]]; then
    log "$label: already satisfied ($*)"
    return 0
  fi
  local missing
  mapfile -t missing <<<"$out"
  log "$label: installing ${missing[*]}"
  pip_install -c "$CONSTRAINTS" "${missing[@]}"
}

# The python tag of wheels that fit this interpreter, e.g. cp311.
PYTAG=""

# ----------------------------------------------------------------------------
step "interpreter"
pyinfo=$(pyrun -c '
import os, sys, sysconfig
venv = sys.prefix != sys.base_prefix or bool(os.environ.get("CONDA_PREFIX"))
managed = os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED"))
print("%d.%d" % sys.version_info[:2], int(venv), int(managed), sys.prefix)')
read -r PYVER IN_VENV EXT_MANAGED PYPREFIX <<<"$pyinfo"
PYTAG="cp${PYVER/./}"
log "python $PYVER at $PYPREFIX ($( ((IN_VENV)) && echo "virtual/conda env" || echo "not a venv"))"
"$PY" -m pip --version >/dev/null 2>&1 || die "pip is missing for $PY (try: $PY -m ensurepip)"
if ((EXT_MANAGED && !IN_VENV)); then
  die "$PY is 'externally managed' (PEP 668); create and activate a venv first:" \
      "python3 -m venv .venv && . .venv/bin/activate"
fi
[[ $PYVER == 3.11 ]] || warn "only Python 3.11 is verified (this is $PYVER); continuing"
log "pins: torch==$TORCH_VERSION torchvision==$TORCHVISION_VERSION ${CORE_PINS[*]}" \
    "mmcv==$MMCV_VERSION ${OPENMMLAB_PINS[*]}"

if [[ -n ${FORCE_CUDA:-} ]]; then
  BUILD_CUDA=$FORCE_CUDA
  log "mmcv ops: FORCE_CUDA=$FORCE_CUDA taken from the environment"
elif command -v nvcc >/dev/null 2>&1 && command -v nvidia-smi >/dev/null 2>&1 \
    && nvidia-smi -L >/dev/null 2>&1; then
  BUILD_CUDA=1
  log "mmcv ops: nvcc and a GPU found, CUDA ops wanted"
else
  BUILD_CUDA=0
  log "mmcv ops: no CUDA toolkit + GPU pair found, CPU ops only"
fi
WHEEL_SUB="torch-$TORCH_VERSION"
((BUILD_CUDA)) && WHEEL_SUB="torch-$TORCH_VERSION-cuda"

MMCV_CHECK='import sys, torch
import mmcv.ops
from mmcv.ops import get_compiling_cuda_version, nms
boxes = torch.tensor([[0., 0., 10., 10.], [1., 1., 11., 11.], [50., 50., 60., 60.]])
_, keep = nms(boxes, torch.tensor([0.9, 0.8, 0.7]), 0.5)
assert keep.tolist() == [0, 2], keep
if sys.argv[1] == "1":
    assert get_compiling_cuda_version() != "not available", "mmcv built without CUDA ops"'

# One python process checks torch/torchvision and mmcv's ops (each import costs seconds).
probe_env() {
  CRNN_MMCV_CHECK="$MMCV_CHECK" pyrun - "$BUILD_CUDA" "$MMCV_VERSION" 2>"$WORK_TMP/probe.err" <<'PYEOF' || true
import importlib.metadata as md, os, sys
def why(e):
    lines = [ln for ln in str(e).splitlines() if ln.strip()]
    return f"{type(e).__name__}: {lines[-1] if lines else ''}"
try:
    import torch, torchvision  # noqa: F401
except Exception as e:
    print('torch fail', why(e)); print('mmcv fail torch does not import'); sys.exit(0)
print('torch ok')
try:
    have = md.version('mmcv')
except md.PackageNotFoundError:
    print('mmcv fail not installed'); sys.exit(0)
if have != sys.argv[2]:
    print('mmcv fail', f'mmcv {have} is installed'); sys.exit(0)
try:
    exec(os.environ['CRNN_MMCV_CHECK'], {'__name__': '__crnn_check__'})
except Exception as e:
    print('mmcv fail', why(e)); sys.exit(0)
print('mmcv ok')
PYEOF
}
PROBE=$(probe_env)
log "installed state: $(tr '\n' ';' <<<"$PROBE")"

# ----------------------------------------------------------------------------
step "torch $TORCH_VERSION + torchvision $TORCHVISION_VERSION"
have_torch=$(dist_version torch)
have_tv=$(dist_version torchvision)
if [[ $have_torch == "$TORCH_VERSION" && $have_tv == "$TORCHVISION_VERSION" \
      && $PROBE == *"torch ok"* ]]; then
  log "already installed: torch $have_torch, torchvision $have_tv"
else
  # An installed 2.13.0+cpu satisfies '==2.13.0' for pip, so remove mismatches first.
  if [[ -n $have_torch && $have_torch != "$TORCH_VERSION" ]]; then
    log "removing torch $have_torch (want exactly $TORCH_VERSION)"
    "$PY" -m pip uninstall -y torch torchvision
  elif [[ -n $have_tv && $have_tv != "$TORCHVISION_VERSION" ]]; then
    log "removing torchvision $have_tv (want exactly $TORCHVISION_VERSION)"
    "$PY" -m pip uninstall -y torchvision
  fi
  if [[ $TORCH_VERSION == *+* ]]; then
    pip_install "torch==$TORCH_VERSION" "torchvision==$TORCHVISION_VERSION" "numpy<2"
  else
    # Registry build wanted: hide pip's find-links (a local 'torch 2.13.0+cpu'
    # wheel there sorts above 2.13.0 and no torchvision works with it).
    mkdir -p "$WORK_TMP/no-find-links"
    log "(pip find-links disabled for this install, registry builds only)"
    PIP_FIND_LINKS=$WORK_TMP/no-find-links \
      pip_install "torch==$TORCH_VERSION" "torchvision==$TORCHVISION_VERSION" "numpy<2"
  fi
  TORCH_CHANGED=1
  if ! err=$(pyrun -c 'import torch, torchvision' 2>&1); then
    printf '%s\n' "$err" | tail -n 5 >&2
    die "torch/torchvision do not import together (a '+cpu' local torch build has no" \
        "matching torchvision; use the registry build)"
  fi
fi

# ----------------------------------------------------------------------------
step "core pins (numpy, setuptools, opencv, mmengine)"
log "note: pip may report 'torch ... requires setuptools>=77.0.3' -- expected, harmless"
ensure "core pins" "${CORE_PINS[@]}"

# ----------------------------------------------------------------------------
step "mmcv $MMCV_VERSION with compiled ops"
mmcv_ok() {  # installed mmcv == pin and its compiled ops work with this torch
  local out
  [[ $(dist_version mmcv) == "$MMCV_VERSION" ]] || return 1
  if ! out=$(pyrun -c "$MMCV_CHECK" "$BUILD_CUDA" 2>&1); then
    warn "mmcv ops check failed: $(printf '%s\n' "$out" | grep -v '^\s*$' | tail -n 1)"
    return 1
  fi
}

# Fills MATCHED (built for this torch: in a torch-<ver>/ folder, or a .buildinfo says
# so) and UNCONFIRMED (lying directly in an extra dir with no .buildinfo; tried last).
# NB: import + nms cannot tell the torch version: a wheel built for torch 2.13.0
# was seen to pass both under torch 2.14.1.
collect_wheels() {
  local d f built
  MATCHED=() UNCONFIRMED=()
  for d in "$CACHE_ROOT" "${EXTRA_DIRS[@]}"; do
    for f in "$d/$WHEEL_SUB"/mmcv-"$MMCV_VERSION"-*.whl; do
      [[ -f $f && $(basename "$f") == *-"$PYTAG"-* ]] && MATCHED+=("$f")
    done
  done
  for d in "${EXTRA_DIRS[@]}"; do
    for f in "$d"/mmcv-"$MMCV_VERSION"-*.whl; do
      [[ -f $f && $(basename "$f") == *-"$PYTAG"-* ]] || continue
      built=""
      [[ -f $f.buildinfo ]] && built=$(sed -n 's/^\(.* \)\{0,1\}torch=\([^ ]*\).*/\2/p' "$f.buildinfo")
      if [[ $built == "$TORCH_VERSION" ]]; then MATCHED+=("$f")
      elif [[ -z $built ]]; then UNCONFIRMED+=("$f")
      else log "skipping $f: its .buildinfo says torch $built"
      fi
    done
  done
  return 0
}

cache_wheel() {  # keep a verified wheel in the cache (best effort)
  local whl=$1 dest="$CACHE_ROOT/$WHEEL_SUB"
  [[ $(cd "$(dirname "$whl")" && pwd -P) == "$(cd "$dest" 2>/dev/null && pwd -P)" ]] && return 0
  if mkdir -p "$dest" 2>/dev/null && cp -f "$whl" "$dest/"; then
    log "cached $(basename "$whl") in $dest"
  else
    warn "could not write the wheel cache $dest"
  fi
}

# try_wheel WHEEL matched|unconfirmed -- install, verify, cache if matched.
# NB: called in an `if`, so errexit is off inside: every failure is checked.
try_wheel() {
  local whl=$1 kind=$2
  log "trying mmcv wheel $whl"
  [[ $kind == matched ]] || warn "$whl: no torch-<ver>/ folder or .buildinfo tells which" \
    "torch it was built for; accepting it only if its ops work (it is not cached)"
  if [[ -n $(dist_version mmcv) ]]; then
    "$PY" -m pip uninstall -y mmcv >/dev/null || return 1
  fi
  pip_install -c "$CONSTRAINTS" "$whl" || { warn "pip could not install $whl"; return 1; }
  if mmcv_ok; then
    log "mmcv wheel works with torch $TORCH_VERSION"
    [[ $kind == matched ]] && cache_wheel "$whl"
    return 0
  fi
  warn "$whl does not fit torch $TORCH_VERSION; uninstalling it"
  "$PY" -m pip uninstall -y mmcv >/dev/null || true
  return 1
}

cxx_std() {
  if [[ -n ${CRNN_MMCV_CXX_STD:-} ]]; then echo "$CRNN_MMCV_CXX_STD"; return; fi
  pyrun -c 'import torch
v = tuple(int(x) for x in torch.__version__.split("+")[0].split(".")[:2])
print(20 if v >= (2, 14) else 17 if v >= (2, 0) else 14)'
}

# Compact progress from ninja's "[i/n] c++ ... -c <file>" lines.
build_progress() {
  local line i n src t0=$SECONDS
  local re_step='^[[:space:]]*\[([0-9]+)/([0-9]+)\]' re_src='([^ ]+[.](cpp|cu|cc|mm))( |$)'
  while IFS= read -r line; do
    if [[ $line =~ $re_step ]]; then
      i=${BASH_REMATCH[1]} n=${BASH_REMATCH[2]} src=""
      [[ $line =~ $re_src ]] && src=${BASH_REMATCH[1]##*/csrc/}
      printf '  mmcv build [%s/%s] %-50s %3dm%02ds\n' "$i" "$n" "$src" \
        $(((SECONDS - t0) / 60)) $(((SECONDS - t0) % 60))
    elif [[ $line == *" -shared "* ]]; then
      echo "  mmcv build: linking mmcv/_ext"
    fi
  done
  return 0
}

build_mmcv() {  # sets BUILT_WHEEL
  local std jobs scripts build_dir src log_file n t0=$SECONDS
  std=$(cxx_std)
  jobs=${MAX_JOBS:-$(nproc)}
  scripts=$(pyrun -c 'import sysconfig; print(sysconfig.get_path("scripts"))')
  ensure "mmcv build tools" "setuptools<70" wheel
  if ! PATH="$scripts:$PATH" command -v ninja >/dev/null; then
    ensure "mmcv build tools" ninja   # parallel compile + progress lines
  fi
  build_dir=$(mktemp -d "${TMPDIR:-/tmp}/crnn-mmcv-build.XXXXXX")
  log_file=$build_dir/build.log
  log "downloading the mmcv $MMCV_VERSION sdist"
  (cd "$build_dir" && "$PY" -m pip download -q --no-build-isolation --no-binary :all: \
     --no-deps "mmcv==$MMCV_VERSION" -d "$build_dir") || die "could not download the mmcv sdist"
  tar -xzf "$build_dir/mmcv-$MMCV_VERSION.tar.gz" -C "$build_dir"
  src=$build_dir/mmcv-$MMCV_VERSION
  n=$(grep -c -- '-std=c++14' "$src/setup.py" || true)
  ((n > 0)) || die "mmcv's setup.py has no '-std=c++14' to replace; sdist changed?"
  sed -i "s/-std=c++14/-std=c++$std/g" "$src/setup.py"
  log "patched $n occurrence(s) of -std=c++14 -> -std=c++$std in mmcv's setup.py"
  log "building mmcv $MMCV_VERSION (MMCV_WITH_OPS=1 FORCE_CUDA=$BUILD_CUDA MAX_JOBS=$jobs)"
  log "THIS TAKES ~15-25 MINUTES ON 2 IDLE CORES (over 50 min measured on 2 busy ones);" \
      "progress below, full log: $log_file"
  local cuda_env=() rc=0
  ((BUILD_CUDA)) || cuda_env=(CUDA_VISIBLE_DEVICES=)   # keep mmcv on the CPU path
  (cd "$src" && env "${cuda_env[@]}" PATH="$scripts:$PATH" MMCV_WITH_OPS=1 \
     FORCE_CUDA="$BUILD_CUDA" MAX_JOBS="$jobs" \
     "$PY" -m pip wheel -v --no-build-isolation --no-deps -w "$build_dir/dist" .) \
    </dev/null 2>&1 | tee "$log_file" | build_progress || rc=$?
  BUILT_WHEEL=$(find "$build_dir/dist" -name "mmcv-$MMCV_VERSION-*.whl" 2>/dev/null | head -n 1)
  if ((rc != 0)) || [[ -z $BUILT_WHEEL ]]; then
    tail -n 40 "$log_file" >&2 || true
    die "mmcv build failed; full log kept in $log_file"
  fi
  log "mmcv built in $(((SECONDS - t0) / 60))m$(((SECONDS - t0) % 60))s: $(basename "$BUILT_WHEEL")"
  local dest="$CACHE_ROOT/$WHEEL_SUB"
  if mkdir -p "$dest" && cp -f "$BUILT_WHEEL" "$dest/"; then
    printf 'torch=%s torchvision=%s python=%s cxx_std=c++%s FORCE_CUDA=%s built=%s\n' \
      "$TORCH_VERSION" "$TORCHVISION_VERSION" "$PYVER" "$std" "$BUILD_CUDA" \
      "$(date -u +%FT%TZ)" >"$dest/$(basename "$BUILT_WHEEL").buildinfo"
    BUILT_WHEEL=$dest/$(basename "$BUILT_WHEEL")
    rm -rf "$build_dir"
    log "cached the built wheel in $dest"
  else
    warn "could not write the wheel cache $dest; build dir kept: $build_dir"
  fi
}

if ((!FORCE_BUILD && !TORCH_CHANGED)) && [[ $PROBE == *"mmcv ok"* ]]; then
  log "already installed and working: mmcv $MMCV_VERSION (ops import, nms runs)"
else
  reason=$(sed -n 's/^mmcv fail //p' <<<"$PROBE")
  ((TORCH_CHANGED)) && reason="torch was (re)installed"
  ((FORCE_BUILD)) && reason="--force-build"
  log "mmcv needs (re)installing: ${reason:-unknown}"
  installed=0
  if ((FORCE_BUILD)); then
    log "--force-build: not looking for prebuilt wheels"
  else
    collect_wheels
    if ((${#MATCHED[@]} + ${#UNCONFIRMED[@]} == 0)); then
      log "no prebuilt mmcv wheel for $WHEEL_SUB/$PYTAG in: $CACHE_ROOT${EXTRA_DIRS[*]:+ ${EXTRA_DIRS[*]}}"
    fi
    for whl in "${MATCHED[@]}"; do
      if try_wheel "$whl" matched; then installed=1; break; fi
    done
    if ((!installed)); then
      for whl in "${UNCONFIRMED[@]}"; do
        if try_wheel "$whl" unconfirmed; then installed=1; break; fi
      done
    fi
  fi
  if ((!installed)); then
    BUILT_WHEEL=""
    build_mmcv
    try_wheel "$BUILT_WHEEL" matched || die "the freshly built mmcv wheel does not work"
  fi
fi

# ----------------------------------------------------------------------------
step "mmdet $MMDET_VERSION + mmocr $MMOCR_VERSION"
ensure "openmmlab" "${OPENMMLAB_PINS[@]}"

step "test tools"
ensure "test tools" "${TEST_TOOLS[@]}"
# cairosvg (omr/ engraving) loads the system's libcairo at run time.
if ! ldconfig -p 2>/dev/null | grep -q 'libcairo\.so\.2'; then
  log "libcairo.so.2 missing: apt-get install libcairo2 (needed by cairosvg)"
  apt_install libcairo2
fi

# ----------------------------------------------------------------------------
step "crnn-plugin (editable) + requirements of its 'train', 'onnx', 'tests' extras"
[[ -f setup.py || -f pyproject.toml ]] || die "no setup.py/pyproject.toml in $REPO_ROOT"
# `pip install -e ".[tests]"` would let pip re-resolve torch's own requirement
# (setuptools>=77) and upgrade setuptools past 70: install the package without
# dependencies, then install whatever it declares that is still missing.
stamp_key=$(printf '%s\n%s\n' "$REPO_ROOT" "$PYPREFIX" | sha256sum | cut -c1-16)
stamp_file=$STATE_DIR/editable-$stamp_key
stamp_val=$(for f in setup.py setup.cfg pyproject.toml crnn_plugin/version.py; do
               [[ -f $f ]] && cat "$f"; done | sha256sum | cut -c1-32)
where=$(pyrun -c 'import importlib.util as u, os
s = u.find_spec("crnn_plugin")
print(os.path.dirname(os.path.dirname(os.path.realpath(s.origin))) if s and s.origin else "")')
if [[ $where == "$(pwd -P)" && ! -f $stamp_file ]]; then
  # Installed from here before this script kept stamps: trust it if the versions agree.
  have_pkg=$(dist_version crnn-plugin)
  want_pkg=$(sed -n "s/^__version__ *= *['\"]\([^'\"]*\)['\"].*/\1/p" crnn_plugin/version.py 2>/dev/null)
  if [[ -n $have_pkg && $have_pkg == "$want_pkg" ]] && mkdir -p "$STATE_DIR" 2>/dev/null; then
    printf '%s\n' "$stamp_val" >"$stamp_file"
  fi
fi
# `where` finds the source tree from the working directory too: the stamp is
# trusted only while pip still has the package's metadata (an install
# interrupted after an earlier one from this path leaves none).
if [[ $where == "$(pwd -P)" && -f $stamp_file && $(cat "$stamp_file") == "$stamp_val" \
      && -n $(dist_version crnn-plugin) ]]; then
  log "already installed in editable mode from $REPO_ROOT"
else
  pip_install --no-deps -e .
  mkdir -p "$STATE_DIR" && printf '%s\n' "$stamp_val" >"$stamp_file" \
    || warn "could not write $stamp_file (next run re-installs the package)"
fi
declared=$(pyrun - <<'PYEOF'
import importlib.metadata as md
try:
    from packaging.requirements import Requirement
except ImportError:
    from pip._vendor.packaging.requirements import Requirement
names = md.packages_distributions().get('crnn_plugin') or ['crnn-plugin']
for r in md.requires(names[0]) or []:
    req = Requirement(r)
    if req.marker is None or any(req.marker.evaluate({'extra': e})
                                 for e in ('', 'train', 'onnx', 'tests')):
        req.marker = None
        print(req)
PYEOF
)
if [[ -n $declared ]]; then
  mapfile -t declared_reqs <<<"$declared"
  ensure "crnn-plugin requirements" "${declared_reqs[@]}"
fi

# ----------------------------------------------------------------------------
step "verify pins, versions, smoke test"
drift=$(unsatisfied "${CORE_PINS[@]}" "mmcv==$MMCV_VERSION" "${OPENMMLAB_PINS[@]}")
[[ $(dist_version torch) == "$TORCH_VERSION" ]] || drift+=" torch==$TORCH_VERSION"
[[ $(dist_version torchvision) == "$TORCHVISION_VERSION" ]] || drift+=" torchvision==$TORCHVISION_VERSION"
[[ -z ${drift// /} ]] || die "pins not satisfied after install: $drift"
pyrun - <<'PYEOF'
import importlib.metadata as md
names = ['torch', 'torchvision', 'numpy', 'setuptools', 'opencv-python',
         'opencv-python-headless', 'mmengine', 'mmcv', 'mmdet', 'mmocr', 'crnn-plugin']
for n in names:
    try:
        v = md.version(n)
    except md.PackageNotFoundError:
        v = '-'
    print(f'  {n:24s} {v}')
PYEOF
pyrun -c 'import crnn_plugin, mmocr.models, mmocr.datasets; from mmcv.ops import nms
import torch
from mmcv.ops import get_compiling_cuda_version
print(f"  smoke check OK: crnn_plugin {crnn_plugin.__version__} imports; mmcv ops "
      f"(CUDA ops: {get_compiling_cuda_version()}); torch.cuda.is_available()={torch.cuda.is_available()}")'
if ((WITH_SYNTH)); then
  step "fonts and word lists for the synthetic data generator (apt-get)"
  # The font packages of the renderer's catalog (~140, ~320 MB installed).
  mapfile -t SYNTH_DEBS < <(sed 's/#.*//; /^[[:space:]]*$/d' \
    crnn_plugin/synth/font_packages.txt)
  # abcm2ps: the second engraver of the OMR score engine (omr/engravers).
  SYNTH_DEBS+=(wamerican hunspell-en-us abcm2ps)
  missing_debs=()
  for deb in "${SYNTH_DEBS[@]}"; do
    dpkg -s "$deb" >/dev/null 2>&1 || missing_debs+=("$deb")
  done
  if ((${#missing_debs[@]})); then
    apt_install "${missing_debs[@]}"
  else
    log "already installed: ${SYNTH_DEBS[*]}"
  fi
  # musescore3: an engraver the OMR score engine trains on; engraving needs
  # none of the recommends (audio, desktop integration) of it and its Qt.
  if ! dpkg -s musescore3 >/dev/null 2>&1; then
    apt_install --no-install-recommends musescore3
  fi
fi
CURRENT_STEP="done"
log "setup complete in $((SECONDS - START_SECONDS))s (python: $PYPREFIX)"

"""Which CPU kernel family ONNX Runtime's MLAS runs here, from the flags.

int8 pays off and keeps its accuracy only with VNNI (AVX-512 VNNI,
AVX-VNNI) or AMX: without them MLAS's u8 x s8 products can saturate
(``docs/benchmarks.md``: -3.8 points of word accuracy on AVX2 against
-0.3 on a VNNI/AMX CPU for the same model).
"""
import platform
from typing import Dict

__all__ = ['cpu_flags', 'kernel_family']

# Flag -> name, most capable first (Linux /proc/cpuinfo spelling).
_FAMILIES = (('amx_int8', 'AMX'), ('avx512_vnni', 'AVX-512 VNNI'),
             ('avx_vnni', 'AVX-VNNI'), ('avx512f', 'AVX-512'),
             ('avx2', 'AVX2'))


def cpu_flags() -> set:
    """The CPU flags of ``/proc/cpuinfo`` (empty where it is missing)."""
    try:
        with open('/proc/cpuinfo', encoding='utf-8') as f:
            for line in f:
                if line.startswith('flags'):
                    return set(line.split(':', 1)[1].split())
    except OSError:
        pass
    return set()


def kernel_family(flags=None) -> Dict[str, object]:
    """The fp32 and int8 kernel families the flags allow.

    Args:
        flags (set, optional): CPU flags; None: :func:`cpu_flags`.

    Returns:
        dict: ``fp32`` (e.g. ``'AVX-512'``), ``int8`` (e.g.
        ``'AVX-512 VNNI'``, or ``'no VNNI/AMX'``), ``int8_fast`` (bool)
        and ``machine``.

    Example:
        >>> kernel_family({'avx2', 'fma'})['int8']
        'no VNNI/AMX'
    """
    flags = cpu_flags() if flags is None else set(flags)
    present = [name for flag, name in _FAMILIES if flag in flags]
    fp32 = next((n for n in present if n in ('AVX-512', 'AVX2')), 'SSE')
    int8_names = ('AMX', 'AVX-512 VNNI', 'AVX-VNNI')
    int8 = next((n for n in present if n in int8_names), None)
    return dict(fp32=fp32, int8=int8 or 'no VNNI/AMX',
                int8_fast=int8 is not None, machine=platform.machine())

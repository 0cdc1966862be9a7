"""One ``error:`` line and an exit status for the expected failures of a
command-line tool (bad files, bad paths), instead of a traceback.

Exit statuses shared by the tools: 0 success, 1 a check failed or some
inputs failed, 2 bad input or usage (as argparse).
"""
import sys
from typing import Any, Callable, List, Optional, Tuple, Type

__all__ = ['expected_errors', 'error_line', 'run_main', 'BAD_INPUT']

#: Exit status for bad input or usage (argparse uses 2 as well).
BAD_INPUT = 2


def expected_errors() -> Tuple[Type[BaseException], ...]:
    """Exception types that mean bad input, not a bug.

    ``OSError`` (missing, unreadable, unwritable paths), ``ValueError``
    (our :class:`CheckpointError`, :class:`ConfigTextError`,
    :class:`OutputPathError`, bad values), ``KeyError`` (config keys),
    ``EOFError``, ``ImportError`` (an optional package missing),
    ``UnicodeError`` and ``lmdb.Error`` (a folder that is no LMDB).
    """
    errors: Tuple[Type[BaseException], ...] = (
        OSError, ValueError, KeyError, EOFError, ImportError)
    try:
        import lmdb
        errors += (lmdb.Error, )
    except ImportError:  # pragma: no cover - lmdb is a requirement
        pass
    return errors


def error_line(err: BaseException) -> str:
    """``error: <message>`` on one line (a ``KeyError``'s quotes removed).

    Example:
        >>> error_line(KeyError('no "lexicon"\\nin the entry'))
        'error: no "lexicon" in the entry'
    """
    message = err.args[0] if isinstance(err, KeyError) and err.args else err
    text = ' '.join(str(message).split()) or type(err).__name__
    return f'error: {text}'


def run_main(main: Callable[[Optional[List[str]]], Any],
             argv: Optional[List[str]] = None,
             status: int = BAD_INPUT) -> int:
    """Run a tool's ``main``; report an expected failure as one line.

    Args:
        main (Callable): The tool's ``main(argv)``; an int result is the
            exit status, anything else means 0.
        argv (list[str], optional): Arguments. Defaults to None.
        status (int): Exit status of an expected failure. Defaults to
            :data:`BAD_INPUT`.

    Returns:
        int: The exit status.
    """
    try:
        result = main(argv)
    except expected_errors() as err:
        print(error_line(err), file=sys.stderr)
        return status
    return result if isinstance(result, int) else 0

"""What the command-line tools share: the launcher flags and the rule that
bad input ends in one ``error:`` line and exit status 2."""
from .arguments import parse_with_launcher
from .errors import BAD_INPUT, error_line, expected_errors, run_main

__all__ = [
    'parse_with_launcher', 'BAD_INPUT', 'error_line', 'expected_errors',
    'run_main'
]

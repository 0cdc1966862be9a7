"""Configs found inside or beside a checkpoint, read as data, never run.

MMEngine keeps a checkpoint's config as Python text (``meta.cfg``, the
``pretty_text`` of the training config) and ``Config.fromstring`` runs that
text -- so a downloaded ``.pth`` could run any code while its config is
read, although its weights load with ``weights_only=True``. The same holds
for a ``<checkpoint>.py`` lying next to a bare weights file.

:func:`config_from_text` parses such text with :mod:`ast` and evaluates
only data: literals (also negative numbers), ``[...]``, ``(...)``,
``{...}``, calls of ``dict``/``list``/``tuple``/``set`` with such
arguments, and names assigned earlier in the same text. Anything else
(imports, attribute access, other calls, lambdas, comprehensions,
operators, ``_base_`` inheritance) raises :class:`ConfigTextError` naming
the line. A config file the user names (``--config``) is still loaded by
``Config.fromfile`` as usual.

``custom_imports`` of a saved config may name only the packages in
:data:`TRUSTED_IMPORTS` (the ones our configs import); they are imported.
"""
import ast
import copy
import importlib
from typing import Any, Dict

from mmengine.config import Config

__all__ = [
    'ConfigTextError', 'TRUSTED_IMPORTS', 'parse_config_text',
    'config_from_text'
]

#: Packages that ``custom_imports`` of a saved config may import.
TRUSTED_IMPORTS = ('crnn_plugin', 'omr', 'mmocr')

_CALLS = {'dict': dict, 'list': list, 'tuple': tuple, 'set': set}


class ConfigTextError(ValueError):
    """Config text that is not plain data.

    Args:
        source (str): Where the text came from (e.g. ``'x.pth (meta.cfg)'``).
        lineno (int): 1-based line of the offending expression (0: none).
        reason (str): What is not allowed.
    """

    def __init__(self, source: str, lineno: int, reason: str) -> None:
        where = f'{source} line {lineno}' if lineno else source
        super().__init__(f'{where}: {reason} (a saved config is read as '
                         'data; pass a config file you trust with --config)')
        self.source, self.lineno, self.reason = source, lineno, reason


def _describe(node: ast.AST) -> str:
    """A short name of a rejected expression."""
    if isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else ast.unparse(func)
        return f'a call of {name[:40]}(...)'
    if isinstance(node, ast.Attribute):
        return f'attribute access ({ast.unparse(node)[:40]})'
    return f'{type(node).__name__} ({ast.unparse(node)[:40]})'


class _Evaluator:
    """Evaluate the data expressions of one config text."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.names: Dict[str, Any] = {}

    def fail(self, node: ast.AST, reason: str):
        raise ConfigTextError(self.source, getattr(node, 'lineno', 0), reason)

    def value(self, node: ast.AST) -> Any:
        """The value of one expression, or :class:`ConfigTextError`."""
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(
                node.op, (ast.USub, ast.UAdd)) and isinstance(
                    node.operand, ast.Constant) and type(
                        node.operand.value) in (int, float, complex):
            number = node.operand.value
            return -number if isinstance(node.op, ast.USub) else number
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            items = [self.value(e) for e in node.elts]
            kind = {ast.List: list, ast.Tuple: tuple, ast.Set: set}
            return kind[type(node)](items)
        if isinstance(node, ast.Dict):
            if any(k is None for k in node.keys):
                self.fail(node, '"**" unpacking is not allowed')
            return {
                self.value(k): self.value(v)
                for k, v in zip(node.keys, node.values)
            }
        if isinstance(node, ast.Name):
            if node.id not in self.names:
                self.fail(node, f'name {node.id!r} is not assigned above')
            return copy.deepcopy(self.names[node.id])
        if isinstance(node, ast.Call) and isinstance(
                node.func, ast.Name) and node.func.id in _CALLS and \
                node.func.id not in self.names:
            return self.call(node)
        self.fail(node, f'{_describe(node)} is not allowed')

    def call(self, node: ast.Call) -> Any:
        """``dict(k=v, ...)``, ``dict({...})``, ``list(x)``, ``tuple(x)``,
        ``set(x)`` with data arguments."""
        name = node.func.id
        if any(k.arg is None for k in node.keywords):
            self.fail(node, '"**" unpacking is not allowed')
        if any(isinstance(a, ast.Starred) for a in node.args) or len(
                node.args) > 1 or (node.keywords and name != 'dict'):
            self.fail(node, f'{name}(...) takes at most one data argument')
        args = [self.value(a) for a in node.args]
        try:
            result = _CALLS[name](*args)
        except (TypeError, ValueError) as err:
            self.fail(node, f'{name}(...): {err}')
        if name == 'dict':
            result.update({k.arg: self.value(k.value) for k in node.keywords})
        return result

    def module(self, tree: ast.Module) -> Dict[str, Any]:
        """Run the assignments of a module; return the bound names."""
        for stmt in tree.body:
            if isinstance(stmt, ast.Expr) and isinstance(
                    stmt.value, ast.Constant) and isinstance(
                        stmt.value.value, str):
                continue  # a docstring
            if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1 \
                    or not isinstance(stmt.targets[0], ast.Name):
                self.fail(
                    stmt, f'{type(stmt).__name__} statements are not '
                    'allowed (only "name = value")')
            name = stmt.targets[0].id
            if name == '_base_':
                self.fail(stmt, 'inheritance (_base_) is not allowed')
            self.names[name] = self.value(stmt.value)
        return {
            k: v
            for k, v in self.names.items() if not k.startswith('__')
        }


def parse_config_text(text: str, source: str = 'config') -> Dict[str, Any]:
    """Evaluate config text as data (see the module docstring).

    Args:
        text (str): Python config text, e.g. MMEngine's ``pretty_text``.
        source (str): Name used in error messages. Defaults to
            ``'config'``.

    Returns:
        dict: The assigned names (those starting with ``__`` dropped).

    Raises:
        ConfigTextError: For a syntax error or anything that is not data.

    Example:
        >>> parse_config_text("a = dict(x=[1, -2], y=('s', None))\\nb = a")
        {'a': {'x': [1, -2], 'y': ('s', None)}, 'b': {'x': [1, -2], 'y': \
('s', None)}}
        >>> parse_config_text("x = __import__('os')")
        Traceback (most recent call last):
        ...
        crnn_plugin.checkpoint.config_text.ConfigTextError: config line 1: a \
call of __import__(...) is not allowed (a saved config is read as data; \
pass a config file you trust with --config)
    """
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError) as err:  # ValueError: NUL bytes
        raise ConfigTextError(source, getattr(err, 'lineno', 0) or 0,
                              f'not valid Python ({err.msg})' if isinstance(
                                  err, SyntaxError) else str(err))
    except RecursionError:
        raise ConfigTextError(source, 0, 'nested too deeply')
    try:
        return _Evaluator(source).module(tree)
    except RecursionError:
        raise ConfigTextError(source, 0, 'nested too deeply')


def config_from_text(text: str, source: str = 'config') -> Config:
    """A :class:`mmengine.config.Config` from config text, read as data.

    ``custom_imports`` naming only :data:`TRUSTED_IMPORTS` (or their
    submodules) are imported, as ``Config.fromstring`` would.

    Args:
        text (str): Python config text.
        source (str): Name used in error messages. Defaults to
            ``'config'``.

    Returns:
        Config: The config.

    Raises:
        ConfigTextError: If the text is not data, or imports other
            packages.
    """
    cfg_dict = parse_config_text(text, source)
    imports = cfg_dict.get('custom_imports', {})
    names = imports.get('imports', []) if isinstance(imports, dict) else None
    names = [names] if isinstance(names, str) else names
    if not isinstance(names, (list, tuple)) or not all(
            isinstance(n, str) and n.split('.')[0] in TRUSTED_IMPORTS
            for n in names):
        raise ConfigTextError(
            source, 0, f'custom_imports may only name {TRUSTED_IMPORTS}, '
            f'got {imports!r}')
    for name in names:
        importlib.import_module(name)
    try:
        return Config(cfg_dict, cfg_text=text)
    except (KeyError, TypeError) as err:  # reserved keys
        raise ConfigTextError(source, 0, str(err))

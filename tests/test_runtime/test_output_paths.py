"""The shared output-path checks of the tools."""
import os

import pytest

from crnn_plugin.runtime.output_paths import (OutputPathError,
                                              check_output_dir,
                                              check_output_file,
                                              make_output_dir,
                                              replace_atomically)


def test_output_file_rules(tmp_path):
    src = tmp_path / 'in'
    src.mkdir()
    (src / 'a.png').write_bytes(b'a')
    check_output_file(str(tmp_path / 'new.txt'), [str(src)])
    cases = [
        (src / 'a.png', True, 'is the input'),  # even with force
        (src / 'b.png', False, 'lies inside the input folder'),
        (src, True, 'is the input folder'),
        (tmp_path, True, 'is a folder'),
        (src / 'a.png' / 'x', True, 'is a file'),
    ]
    for path, force, reason in cases:
        with pytest.raises(OutputPathError, match=reason):
            check_output_file(str(path), [str(src), str(src / 'a.png')],
                              force)
    check_output_file(str(src / 'b.png'), [str(src)], force=True)
    (tmp_path / 'old').write_text('x')
    with pytest.raises(OutputPathError, match='exists'):
        check_output_file(str(tmp_path / 'old'))
    check_output_file(str(tmp_path / 'old'), force=True)


def test_symlink_to_an_input_is_the_input(tmp_path):
    (tmp_path / 'model.pth').write_bytes(b'w')
    os.symlink(tmp_path / 'model.pth', tmp_path / 'link.pth')
    with pytest.raises(OutputPathError, match='is the input'):
        check_output_file(str(tmp_path / 'link.pth'),
                          [str(tmp_path / 'model.pth')], force=True)


def test_output_dir_rules(tmp_path):
    (tmp_path / 'f').write_text('x')
    with pytest.raises(OutputPathError, match='is a file'):
        check_output_dir(str(tmp_path / 'f'))
    with pytest.raises(OutputPathError, match='inside the input folder'):
        check_output_dir(str(tmp_path / 'vis'), [str(tmp_path)])
    check_output_dir(str(tmp_path / 'vis'), [str(tmp_path)], force=True)
    with pytest.raises(OutputPathError, match='cannot be created'):
        make_output_dir(str(tmp_path / 'f' / 'sub'))


def test_replace_atomically(tmp_path):
    target = tmp_path / 'out'
    target.write_text('old')
    with pytest.raises(RuntimeError):
        with replace_atomically(str(target), '.txt') as tmp:
            assert tmp.endswith('.txt')
            with open(tmp, 'w') as f:
                f.write('half')
            raise RuntimeError('writer failed')
    assert target.read_text() == 'old'
    with replace_atomically(str(target)) as tmp:
        with open(tmp, 'w') as f:
            f.write('new')
    assert target.read_text() == 'new'
    with pytest.raises(OutputPathError, match='nothing was written'):
        with replace_atomically(str(target)):
            pass
    assert os.listdir(tmp_path) == ['out']

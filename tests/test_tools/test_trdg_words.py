"""tools/data/trdg_words.py: which of TRDG's fonts count as unseen designs;
photos of one's own scaled for TRDG."""
import os
import os.path as osp
import sys

from tools_helpers import ROOT, load_tool

sys.path.insert(0, osp.join(ROOT, 'tests', 'test_synth'))
from synth_helpers import builtin_font_bytes  # noqa: E402

trdg_words = load_tool('data/trdg_words')


def test_name_words_splits_camel_case_and_spaces():
    assert trdg_words.name_words('RobotoCondensed') == ['roboto', 'condensed']
    assert trdg_words.name_words('Roboto Condensed') == ['roboto', 'condensed']


def _unseen(tmp_path, rows):
    fonts = tmp_path / 'fonts'
    fonts.mkdir(exist_ok=True)
    # Pillow's bundled font, family 'Aileron'
    (fonts / 'Aileron-Regular.otf').write_bytes(builtin_font_bytes())
    catalog = tmp_path / 'catalog.tsv'
    catalog.write_text('# family\tpackage\tsplit\tfiles\n' + ''.join(
        f'{family}\tfonts-x\t{split}\tx.ttf\n' for family, split in rows))
    return [os.path.basename(p) for p in trdg_words.unseen_fonts(
        str(fonts), str(catalog))]


def test_a_trained_design_is_left_out(tmp_path):
    assert _unseen(tmp_path, [('Aileron', 'train')]) == []
    # a trained family whose words start the file's family, or vice versa
    assert _unseen(tmp_path, [('Aileron Heavy', 'train')]) == []


def test_held_out_and_other_designs_stay(tmp_path):
    keep = ['Aileron-Regular.otf']
    assert _unseen(tmp_path, [('Aileron', 'val')]) == keep
    assert _unseen(tmp_path, [('Aile', 'train'), ('Lato', 'train')]) == keep


def test_photos_are_scaled_to_trdg_width_and_bad_files_skipped(tmp_path,
                                                               capsys):
    from PIL import Image
    src, dst = tmp_path / 'src', tmp_path / 'dst'
    src.mkdir()
    dst.mkdir()
    Image.new('RGB', (1920, 1080), (10, 200, 30)).save(src / 'a.png')
    Image.new('L', (480, 640), 128).save(src / 'b.jpg')
    (src / 'notes.txt').write_text('not an image')
    assert trdg_words.scaled_photos(str(src), str(dst)) == 2
    sizes = sorted(Image.open(dst / name).size for name in os.listdir(dst))
    assert sizes == [(960, 540), (960, 1280)]
    assert all(Image.open(dst / name).mode == 'RGB'
               for name in os.listdir(dst))
    assert 'skipped notes.txt' in capsys.readouterr().err

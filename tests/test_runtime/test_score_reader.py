"""ScoreReader's opt-in staff crop: margins and scale stop mattering."""
import cv2
import pytest
from demo_samples import demo_labels

from crnn_plugin.runtime import ScoreReader

LABELS = demo_labels('scores')


@pytest.fixture(scope='module')
def readers():
    return ScoreReader(), ScoreReader(staff_crop=True)


def test_staff_crop_follows_the_model(readers):
    plain, cropping = readers
    # the shipped model was trained on staff crops: its metadata says so
    assert plain.info.preprocessing.staff == dict(
        height=64, spaces_above=3, spaces_below=3, side_spaces=1)
    # staff_crop adds the default crop only to a model without its own
    assert cropping.info.preprocessing == plain.info.preprocessing


@pytest.mark.parametrize('name', sorted(LABELS)[:4])
def test_wide_margins_and_scale_read_like_the_crop(readers, name):
    _, cropping = readers
    img = cv2.imread(f'demo/scores/{name}', cv2.IMREAD_GRAYSCALE)
    h, w = img.shape
    framed = cv2.copyMakeBorder(img, h, h, w // 2, w // 2,
                                cv2.BORDER_CONSTANT, value=255)
    framed = cv2.resize(framed, None, fx=1.7, fy=1.7,
                        interpolation=cv2.INTER_CUBIC)
    tokens = [t for t, _ in cropping([img, framed])]
    assert tokens[0] == tokens[1] == LABELS[name].split()
    assert framed.shape[0] > 2.5 * img.shape[0]  # really another crop


def test_recognize_cli_staff_crop(capsys):
    from omr.recognize import main
    assert main(['demo/scores/clean_03.png', '--staff-crop']) == 0
    assert capsys.readouterr().out.split() == LABELS['clean_03.png'].split()
    assert main(['demo/scores/clean_03.png', '--staff-crop',
                 '--backend', 'torch']) == 2
    assert 'runtime backend' in capsys.readouterr().err

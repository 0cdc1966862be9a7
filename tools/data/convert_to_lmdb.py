#!/usr/bin/env python
"""Convert text-recognition annotations into an LMDB with the de-facto keys.

Inputs:
  (a) a label file with UTF-8 lines ``relative/path.jpg<TAB or space>label``
      plus the image folder the paths are relative to (``--img-root``), or
  (b) an MMOCR 1.x textrecog JSON (``{"metainfo": ..., "data_list":
      [{"img_path": ..., "instances": [{"text": ...}]}]}``).

Output keys: ``num-samples``, ``image-%09d``, ``label-%09d`` (1-based), as
MJSynth / SynthText LMDBs are distributed; read with
``dict(type='LMDBTextRecogDataset', ann_file=OUT_DIR)``.

Every image is checked (exists, non-empty, complete, decodable, within the
pixel budget) and every label must be non-empty; bad samples are skipped and
counted, and a summary is printed at the end. The LMDB is written to a
temporary folder and moved into OUT_DIR only after success, so --overwrite
never leaves a half-written LMDB.

Exit status: 0 written; 1 nothing could be written; 2 bad input (missing or
unreadable annotation file, OUT_DIR holding an LMDB without --overwrite,
OUT_DIR a file): one ``error:`` line on stderr.

Examples:
  python tools/data/convert_to_lmdb.py data/words/labels.txt \\
      data/words.lmdb --img-root data/words
  python tools/data/convert_to_lmdb.py \\
      data/iiit5k/textrecog_test.json data/iiit5k/test.lmdb
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..', '..')))

from crnn_plugin.datasets import (SkipCounter, read_label_file,  # noqa: E402
                                  read_mmocr_textrecog_json, write_recog_lmdb)
from crnn_plugin.cli import run_main  # noqa: E402
from crnn_plugin.runtime.output_paths import check_output_dir  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        epilog=__doc__.split('\n\n', 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        'annotation',
        help='label file (lines "path<TAB or space>label") or MMOCR '
        'textrecog JSON')
    parser.add_argument('out_dir', help='output LMDB directory')
    parser.add_argument(
        '--img-root',
        default=None,
        help='folder that image paths are relative to '
        '(default: the annotation file\'s folder)')
    parser.add_argument(
        '--format',
        choices=['auto', 'txt', 'json'],
        default='auto',
        help='annotation format; auto = json if the name ends with .json '
        '(default: auto)')
    parser.add_argument(
        '--batch-size',
        type=int,
        default=1000,
        help='samples per write transaction (default: 1000)')
    parser.add_argument(
        '--map-size-mb',
        type=int,
        default=64,
        help='initial LMDB map size in MiB; doubled whenever full '
        '(default: 64)')
    parser.add_argument(
        '--no-check',
        action='store_true',
        help='do not decode images to validate them (faster)')
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='replace an existing LMDB in OUT_DIR')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    fmt = args.format
    if fmt == 'auto':
        fmt = 'json' if args.annotation.lower().endswith('.json') else 'txt'
    check_output_dir(args.out_dir, [args.annotation], what='output LMDB')
    counter = SkipCounter(name=args.annotation)
    reader = read_mmocr_textrecog_json if fmt == 'json' else read_label_file
    pairs = reader(args.annotation, args.img_root, skip_counter=counter)
    result = write_recog_lmdb(
        pairs,
        args.out_dir,
        batch_size=args.batch_size,
        map_size=args.map_size_mb * 1024**2,
        check_images=not args.no_check,
        overwrite=args.overwrite,
        skip_counter=counter)
    print(f'Wrote {result.num_written} samples to {args.out_dir}; '
          f'{counter.summary()}.')
    return 0 if result.num_written > 0 else 1


if __name__ == '__main__':
    sys.exit(run_main(main))

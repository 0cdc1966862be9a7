"""A CheckpointHook whose saves survive an interrupt at any moment.

MMEngine 0.10.7's ``CheckpointHook._save_checkpoint_with_step``

1. deletes the oldest kept checkpoint (``max_keep_ckpts``) *before* saving,
2. writes the new checkpoint straight to its final path
   (``LocalBackend.put``: ``open(path, 'wb').write(...)``), and
3. rewrites ``work_dir/last_checkpoint`` in place.

A kill during (2) leaves a truncated ``iter_N.pth``; with
``max_keep_ckpts=1`` the previous checkpoint is already gone, so
``--resume`` has nothing valid to continue from. A kill during (3) leaves an
empty ``last_checkpoint``.

:class:`AtomicCheckpointHook` keeps MMEngine's behaviour and bookkeeping but
reorders the steps for local paths: write to a hidden temporary file in the
same folder, ``os.replace`` it onto the final name (atomic on POSIX and
Windows), atomically rewrite ``last_checkpoint``, and only then delete the
outdated checkpoint. Non-local backends fall back to MMEngine's code.
"""
import os
import os.path as osp
from typing import Optional

from mmengine.dist import is_main_process
from mmengine.fileio import LocalBackend
from mmengine.hooks import CheckpointHook

from mmocr.registry import HOOKS

from crnn_plugin.checkpoint.atomic_write import (TMP_NAME, atomic_write_text,
                                                 fsync_file)

__all__ = ['AtomicCheckpointHook']


@HOOKS.register_module()
class AtomicCheckpointHook(CheckpointHook):
    """MMEngine's ``CheckpointHook`` with crash-safe local saving.

    Takes exactly the arguments of :class:`mmengine.hooks.CheckpointHook`
    (``interval``, ``by_epoch``, ``max_keep_ckpts``, ``save_last``,
    ``save_best``...). Use it in ``default_hooks``::

        default_hooks = dict(
            checkpoint=dict(type='AtomicCheckpointHook', interval=1,
                            max_keep_ckpts=3))

    Periodic and last checkpoints (the ones ``resume`` uses) are written
    atomically; "best" checkpoints keep MMEngine's code path. Temporary
    files left by a killed run are removed when training starts.
    """

    def before_train(self, runner) -> None:
        """Set up as ``CheckpointHook``; remove stale temporary files.

        Args:
            runner (Runner): The training runner.
        """
        super().before_train(runner)
        if not (is_main_process()
                and isinstance(self.file_backend, LocalBackend)):
            return
        for folder in {self.out_dir, runner.work_dir}:
            if not osp.isdir(folder):
                continue
            for name in os.listdir(folder):
                path = osp.join(folder, name)
                if TMP_NAME.match(name) and osp.isfile(path):
                    runner.logger.info(f'Removing stale temporary {path}')
                    os.remove(path)

    def _save_checkpoint_with_step(self, runner, step: int,
                                   meta: dict) -> None:
        """Save ``filename_tmpl.format(step)`` atomically, then prune.

        Mirrors ``CheckpointHook._save_checkpoint_with_step`` of mmengine
        0.10.7 (same ``keep_ckpt_ids``/``last_ckpt`` message-hub entries).

        Args:
            runner (Runner): The training runner.
            step (int): Epoch or iteration number in the file name.
            meta (dict): ``epoch``/``iter`` saved into the checkpoint.
        """
        if not isinstance(self.file_backend, LocalBackend):
            super()._save_checkpoint_with_step(runner, step, meta)
            return

        outdated: Optional[int] = None
        if self.max_keep_ckpts > 0 and not (self.keep_ckpt_ids and
                                            self.keep_ckpt_ids[-1] == step):
            if len(self.keep_ckpt_ids) == self.max_keep_ckpts:
                outdated = self.keep_ckpt_ids.popleft()
            self.keep_ckpt_ids.append(step)
            runner.message_hub.update_info('keep_ckpt_ids',
                                           list(self.keep_ckpt_ids))

        ckpt_filename = self.filename_tmpl.format(step)
        self.last_ckpt = self.file_backend.join_path(self.out_dir,
                                                     ckpt_filename)
        runner.message_hub.update_info('last_ckpt', self.last_ckpt)

        # Hidden temporary name in the same folder, so os.replace is a
        # rename within one file system. Only the main process writes.
        tmp_filename = f'.{ckpt_filename}.{os.getpid()}.tmp'
        tmp_path = self.file_backend.join_path(self.out_dir, tmp_filename)
        try:
            runner.save_checkpoint(
                self.out_dir,
                tmp_filename,
                self.file_client_args,
                save_optimizer=self.save_optimizer,
                save_param_scheduler=self.save_param_scheduler,
                meta=meta,
                by_epoch=self.by_epoch,
                backend_args=self.backend_args,
                **self.args)
            if not is_main_process():
                return
            fsync_file(tmp_path)
            os.replace(tmp_path, self.last_ckpt)
        finally:
            if is_main_process() and osp.exists(tmp_path):
                os.remove(tmp_path)

        atomic_write_text(
            osp.join(runner.work_dir, 'last_checkpoint'), self.last_ckpt)

        if outdated is not None:
            old_path = self.file_backend.join_path(
                self.out_dir, self.filename_tmpl.format(outdated))
            if self.file_backend.isfile(old_path):
                self.file_backend.remove(old_path)
            elif self.file_backend.isdir(old_path):
                # checkpoints saved by deepspeed are directories
                self.file_backend.rmtree(old_path)

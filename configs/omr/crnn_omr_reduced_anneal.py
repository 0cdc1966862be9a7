# crnn_omr_reduced_transposed2.py with the ADADELTA step lowered from the
# paper's 1.0 to 0.3 for the end of a run (annealing: the constant step keeps
# the weights wandering around a minimum). Resume a run with it; the rest of
# the optimizer state (ADADELTA's running averages) is kept:
#   python tools/train.py configs/omr/crnn_omr_reduced_anneal.py \
#       --resume work_dirs/crnn_omr_reduced/iter_14000.pth
_base_ = ['./crnn_omr_reduced_transposed2.py']

anneal_lr = 0.3
# A resume restores the checkpoint's lr (1.0), so the config's optimizer lr
# would not apply: the hook sets it after the checkpoint is loaded.
optim_wrapper = dict(optimizer=dict(lr=anneal_lr))
custom_hooks = [dict(type='SetLearningRateHook', lr=anneal_lr)]

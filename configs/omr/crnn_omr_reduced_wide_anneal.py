# crnn_omr_reduced_wide.py (input twice as wide) with the ADADELTA step
# lowered to 0.3, as crnn_omr_reduced_anneal.py does for the aspect-kept
# input: resume a wide run with it for the end of the run.
#   python tools/train.py configs/omr/crnn_omr_reduced_wide_anneal.py \
#       --resume work_dirs/crnn_omr_wide/iter_2500.pth
_base_ = ['./crnn_omr_reduced_wide.py']

anneal_lr = 0.3
# A resume restores the checkpoint's lr: the hook sets it afterwards.
optim_wrapper = dict(optimizer=dict(lr=anneal_lr))
custom_hooks = [dict(type='SetLearningRateHook', lr=anneal_lr)]

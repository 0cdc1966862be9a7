# The reduced OMR model trained on the paper's labels (§3.4): staff positions
# without accidentals (PitchDictionary mode 'paper': 36 tokens C2..C7 +
# blank). Same LMDBs: the dictionary strips accidentals from the pitch-mode
# labels, and so does the metric.
_base_ = ['./crnn_omr_reduced.py']

dictionary = dict(type='PitchDictionary', mode='paper')
model = dict(decoder=dict(dictionary=dictionary))
val_evaluator = dict(
    metrics=[dict(type='OMRFragmentMetric', mode='paper')])
test_evaluator = val_evaluator

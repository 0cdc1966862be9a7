# The paper's CRNN (Table 1): 7-conv VGG, 2-layer BiLSTM(256), CTC.
# 36 classes (0-9, a-z) + CTC blank; 8.3M parameters.
dictionary = dict(type='CharsetDictionary', charset='lower_digits')

model = dict(
    type='CRNNRecognizer',  # MMOCR's CRNN with exact padding
    preprocessor=None,
    backbone=dict(type='CRNNVGG', in_channels=1, bn_after=(5, 6)),
    encoder=dict(
        type='DeepBiLSTMEncoder',
        in_channels=512,
        hidden_size=256,
        num_layers=2,
        bidirectional=True),
    decoder=dict(
        type='CTCDecoder',
        in_channels=512,
        dictionary=dictionary,
        module_loss=dict(type='CRNNCTCLoss', letter_case='lower'),
        postprocessor=dict(type='GreedyCTCPostProcessor')),
    data_preprocessor=dict(
        type='TextRecogDataPreprocessor', mean=[127], std=[127]))

# Training: every image scaled to 100x32, grayscale (§3.2).
train_pipeline = [
    dict(
        type='SafeLoadImageFromFile',
        color_type='grayscale',
        ignore_empty=True,
        min_size=2),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(type='Resize', scale=(100, 32), keep_ratio=False),
    dict(
        type='PackTextRecogInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio'))
]
# Testing: height 32, width proportional but at least 100 px (§3.2).
test_pipeline = [
    dict(
        type='SafeLoadImageFromFile',
        color_type='grayscale',
        placeholder_shape=(32, 100)),  # a bad test image counts as a miss
    dict(type='RescaleToHeight', height=32, min_width=100, max_width=None),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(
        type='PackTextRecogInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio'))
]

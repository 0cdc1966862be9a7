# How to use crnn-plugin from your own MMOCR config: inherit MMOCR's CRNN
# config (runtime, MJSynth + six test sets, pipelines, preprocessor) and
# swap in our modules by `type=` name. custom_imports registers them.
_base_ = ['mmocr::textrecog/crnn/crnn_mini-vgg_5e_mj.py']
custom_imports = dict(
    imports=['crnn_plugin.registration'], allow_failed_imports=False)

dictionary = dict(type='CharsetDictionary', charset='lower_digits')
model = dict(
    backbone=dict(_delete_=True, type='CRNNVGG', in_channels=1),
    encoder=dict(
        _delete_=True,
        type='DeepBiLSTMEncoder',
        in_channels=512,
        hidden_size=256),
    decoder=dict(
        _delete_=True,
        type='CTCDecoder',
        in_channels=512,
        dictionary=dictionary,
        module_loss=dict(type='CRNNCTCLoss', letter_case='lower'),
        postprocessor=dict(type='GreedyCTCPostProcessor')))

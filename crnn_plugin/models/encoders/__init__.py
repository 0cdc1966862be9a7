from .deep_bilstm_encoder import DeepBiLSTMEncoder

__all__ = ['DeepBiLSTMEncoder']

from .ctc_loss import CRNNCTCLoss, min_ctc_frames

__all__ = ['CRNNCTCLoss', 'min_ctc_frames']

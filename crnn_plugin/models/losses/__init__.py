from .ctc_loss import CRNNCTCLoss

__all__ = ['CRNNCTCLoss']

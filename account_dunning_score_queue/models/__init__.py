from . import dunning_partner_score

"""Learned factor models: features, the stacked linear model, training data and training."""

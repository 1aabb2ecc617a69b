"""The `backproplab` command (`python -m autograd`): a formula in, its passes and pictures out."""

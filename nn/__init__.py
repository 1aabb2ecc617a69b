"""backproplab's neural-network layer: neurons, layers, MLPs, losses and optimisers on `autograd`."""

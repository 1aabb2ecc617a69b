"""More derivatives from the same graph: forward mode, higher order, gradcheck, traces of both passes."""

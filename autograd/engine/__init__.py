"""The engine a student reads: the table of primitives, `Value`, the sort and the loop, the recording flags.

Read it top-down: primitives.py (each primitive's f and f′; STOP, the zero a switched-off relu
passes back), value.py (a node: its number, gradient, parents and their local derivatives; how an
operation records one), backward.py (the topological sort and the chain rule's loop), flags.py
(no_grad, enable_grad, detect_anomaly, watch_reads). The argument checks, the exact way of writing
a number and naming a node, and the error messages live beneath it, in autograd/common.
"""

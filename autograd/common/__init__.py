"""What every room stands on, the engine included: checks, exact numbers, named nodes, messages."""

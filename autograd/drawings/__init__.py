"""Pictures of a graph: Graphviz drawings, the HTML lecture player, the notebook stepper."""

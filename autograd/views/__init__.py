"""Views of a graph in words and numbers: the steps of each pass, tables, LaTeX."""

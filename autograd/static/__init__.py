"""Static graphs: trace a function once and replay it as a straight-line program (the notes' Wengert list)."""

"""Teaching tools: explain a derivative, make a worksheet, check a worksheet, mark a notebook's answer."""

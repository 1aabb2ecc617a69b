# backproplab: `make demo` runs the main job, `make test` the tests. Both set up what they need.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
READY  := $(VENV)/.installed
DEMO_READY := $(VENV)/.demo-installed

.PHONY: demo test lint bench notebooks notebooks-html readme-image graphviz chromium cjk-font clean

$(VENV)/pyvenv.cfg:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "backproplab needs Python 3.10 or newer; set PYTHON=python3.x")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# `make demo` needs only the run-time dependencies and the demo's extra (tqdm, matplotlib);
# everything else (the tests, lint, notebooks) the development extra.
$(DEMO_READY): pyproject.toml | $(VENV)/pyvenv.cfg
	$(PY) -m pip install --quiet -e '.[demo]'
	@touch $@

$(READY): pyproject.toml | $(VENV)/pyvenv.cfg
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@ $(DEMO_READY)

# Graphviz's `dot` renders the graphs. Installed here when missing and we are root on Debian/Ubuntu;
# otherwise stop with the command to run.
graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Graphviz (dot) with apt-get"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	  elif [ "$$(uname)" = Darwin ]; then \
	    echo "Graphviz's dot is missing: run  brew install graphviz"; exit 1; \
	  else \
	    echo "Graphviz's dot is missing: run  sudo apt-get install -y graphviz"; exit 1; \
	  fi; }
	@command -v dot >/dev/null 2>&1 || { echo "Graphviz's dot is still missing after the install"; exit 1; }

# Debian's Chromium runs the lecture player's browser tests (driven by Playwright, never its own
# browser download). Installed like dot: with apt-get when missing and we are root, else the command.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Chromium with apt-get"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing: run  sudo apt-get install -y chromium"; exit 1; \
	  fi; }
	@command -v chromium >/dev/null 2>&1 || { echo "Chromium is still missing after the install"; exit 1; }

# A font with Chinese glyphs (Noto Sans CJK SC) for the drawings' lang="zh" and Chinese labels.
cjk-font:
	@fc-list 2>/dev/null | grep -q "Noto Sans CJK SC" || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing fonts-noto-cjk with apt-get"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; \
	  else \
	    echo "Noto Sans CJK SC is missing: run  sudo apt-get install -y fonts-noto-cjk"; exit 1; \
	  fi; }

# The main job: the h1…h6 table and chain rule, the graph drawn to demo-output/sigmoid.svg, then
# micrograd's two-moons demo trained with a progress bar (decision boundary in demo-output/moons.png).
demo: $(DEMO_READY) graphviz
	$(PY) -m autograd -o demo-output/sigmoid.svg
	$(PY) -m nn.demo --out demo-output/moons.png
	@echo ""
	@echo "Next: source $(VENV)/bin/activate   (then backproplab and python -c 'import autograd' work in that shell)"
	@echo "      backproplab \"(x + y) * z\" x=-2 y=5 z=-4 -o f.svg   draws your own formula (backproplab --help)"
	@echo "      make notebooks                    opens the notebooks of the lecture notes in JupyterLab"

# The forward-mode and double-backward tests compare against PyTorch (float64) as an oracle; it is
# installed into the venv here (a local CPU wheel). `make test TEST_TORCH=` leaves it out: those
# tests then skip, except under CI=true, where a skip is a failure.
TEST_TORCH ?= torch==2.13.0

test: $(READY) graphviz chromium cjk-font
	@if [ -n "$(TEST_TORCH)" ]; then \
	  $(PY) -c 'import torch' 2>/dev/null || $(PY) -m pip install --quiet "$(TEST_TORCH)"; \
	fi
	$(PY) -m pytest

lint: $(READY)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(PY) tests/check_notebooks_stripped.py

# PyTorch is only compared against, never a dependency. Here torch==2.13.0 resolves to a CPU-only
# wheel from local files; `make bench BENCH_TORCH=` skips it, and a failed install leaves its rows out.
BENCH_TORCH ?= torch==2.13.0
BENCH_ARGS  ?=

bench: $(READY)
	@if [ -n "$(BENCH_TORCH)" ]; then \
	  $(PY) -m pip install --quiet "$(BENCH_TORCH)" || echo "could not install $(BENCH_TORCH): the PyTorch rows are left out"; \
	fi
	$(PY) benchmarks/run.py $(BENCH_ARGS)

# JupyterLab on the notebooks, as root too (--allow-root); LAB_ARGS passes it more (--no-browser, --port=…).
LAB_ARGS ?=
notebooks: $(READY) graphviz
	$(PY) -m pip install --quiet -e '.[dev,notebooks]'
	$(VENV)/bin/jupyter lab $$([ "$$(id -u)" = 0 ] && echo --allow-root) $(LAB_ARGS) notebooks/

# Executed copies of the notebooks, as HTML a browser shows without Jupyter, in docs/notebooks/.
notebooks-html: $(READY) graphviz
	$(PY) tools/notebooks_html.py docs/notebooks

# The README's picture, drawn from the README's own example; the one way to regenerate it
# (tests/test_readme.py fails when docs/images/sigmoid.dot is stale).
readme-image: $(READY) graphviz
	$(PY) tools/readme_image.py docs/images

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache

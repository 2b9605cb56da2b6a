# Shortcuts. `make bundle` needs the bundle extra: .venv/bin/pip install -e ".[bundle]"
PYTHON ?= .venv/bin/python

.PHONY: run test bundle bench

run:
	python3 tasks.py run

test:
	python3 tasks.py test

# Build dist/decision-aid/ with PyInstaller, smoke-test it headless, compare with hello world.
bundle:
	$(PYTHON) build_installer.py $(ARGS)

bench:
	$(PYTHON) -m bench

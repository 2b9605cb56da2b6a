# Shortcuts for tasks.py, which first sets up what a fresh machine lacks.
.PHONY: run test bundle bench

run:
	python3 tasks.py run

test:
	python3 tasks.py test

# Build dist/decision-aid/ with PyInstaller, smoke-test it headless, compare with hello
# world (ARGS=--onefile for one file).
bundle:
	python3 tasks.py bundle $(ARGS)

bench:
	python3 tasks.py bench $(ARGS)

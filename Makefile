# Two commands set everything up on a fresh machine with Python 3.10+:
#   make run   - create .venv, install pinned dependencies, build + validate the graph,
#                answer the headline question, write every export and the career-path picture
#   make test  - the same environment plus test dependencies, then the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
KG     := $(BIN)/rlhf-kg
OUT    := build

.PHONY: run test install install-test exports clean bench

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate requirements.lock pyproject.toml
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m compileall -q src/rlhf_kg
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.lock
	$(PY) -m pip install --quiet -r requirements-test.lock
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	@start=$$(date +%s%N); \
	$(KG) build --out $(OUT) && \
	$(KG) validate && \
	echo && echo "== Which skills transfer to adjacent specialisations?" && \
	$(KG) query transferable-skills && \
	echo && echo "== How does a generalist ML engineer reach a frontier-lab RLHF role?" && \
	$(KG) paths --from generalist-ml-engineer --to frontier-lab-rlhf-engineer && \
	$(MAKE) --no-print-directory exports && \
	end=$$(date +%s%N); echo; echo "make run finished in $$(( (end - start) / 1000000 )) ms; outputs in $(OUT)/"

exports: install
	@for f in ttl nt nq trig jsonld context.jsonld rdf graphml gexf dot csv html; do \
	  $(KG) export --output $(OUT)/rlhf-kg.$$f || exit 1; done
	@$(KG) viz --view career --from generalist-ml-engineer --to frontier-lab-rlhf-engineer --output $(OUT)/career-path.html
	@$(KG) viz --view career --from generalist-ml-engineer --to frontier-lab-rlhf-engineer --output $(OUT)/career-path.svg
	@$(KG) viz --view career --from generalist-ml-engineer --to frontier-lab-rlhf-engineer --output $(OUT)/career-path.png
	@$(KG) viz --view methods --output $(OUT)/methods.html
	@$(KG) viz --view methods --output $(OUT)/methods.svg
	@$(KG) viz --view methods --output $(OUT)/methods.png
	@$(KG) viz --view field --output $(OUT)/field.html
	@ls -l $(OUT)

test: install-test
	$(PY) -m pytest -q

bench: install-test
	$(PY) benchmarks/run.py

clean:
	rm -rf $(OUT) dist .pytest_cache

"""Gateway benchmark: ``python bench/gateway/run.py`` (see ``bench/README.md``)."""

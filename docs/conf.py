"""Sphinx configuration: the documentation site, built from docs/ (Markdown via MyST) with
the API reference generated from the docstrings. Built in .ci/run with warnings as errors:

    sphinx-build -W --keep-going -b html docs docs/_build/html
"""

project = "entente-regles"
author = "entente-regles"
extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.napoleon"]
source_suffix = {".md": "markdown"}
root_doc = "index"
language = "fr"
exclude_patterns = ["_build"]
myst_heading_anchors = 3
autodoc_member_order = "bysource"
autodoc_typehints = "none"
autodoc_default_options = {"members": True, "undoc-members": False}
suppress_warnings = ["myst.xref_missing"]
html_theme = "alabaster"
html_static_path: list[str] = []

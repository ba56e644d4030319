"""Sphinx configuration: the documentation site, built from docs/ (Markdown via MyST) with
the API reference generated from the docstrings. Built in .ci/run with warnings as errors:

    sphinx-build -W --keep-going -b html docs docs/_build/html
"""

project = "entente-regles"
author = "entente-regles"
# No napoleon: the docstrings use no Google or NumPy sections, and napoleon read a property
# whose first line has a colon ("… by this date: open, …") as "Type: …".
extensions = ["myst_parser", "sphinx.ext.autodoc"]
source_suffix = {".md": "markdown"}
root_doc = "index"
language = "fr"
exclude_patterns = ["_build"]
myst_heading_anchors = 3
autodoc_member_order = "bysource"
# Types in the descriptions (parameters and attributes), signatures kept short; attrs'
# defaults shown as written (below), never as "NOTHING".
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_default_options = {"members": True, "undoc-members": False}
# A bare ``date`` in a type hint is datetime.date, which this site does not document: Sphinx's
# fuzzy cross-reference search then finds the fields named ``date`` (Event.date,
# ChangeRecord.date) and warns that the target is ambiguous. The warning is about the link
# only, never about the text shown: it is silenced so that -W keeps failing on real problems.
suppress_warnings = ["myst.xref_missing", "ref.python"]
html_theme = "alabaster"
html_static_path: list[str] = []


def _default(value: object) -> str:
    """An attrs default as its class's signature should show it."""
    import attrs

    if isinstance(value, attrs.Factory):  # type: ignore[arg-type]
        made = value.factory
        plain = {dict: "{}", list: "[]", tuple: "()", set: "set()", frozenset: "frozenset()"}
        if made in plain:
            return plain[made]
        name = getattr(made, "__name__", "")
        return f"{name}()" if name and name != "<lambda>" else "…"
    return repr(value)


def _attrs_signature(app, what, name, obj, options, signature, return_annotation):  # type: ignore[no-untyped-def]
    """An attrs class's signature: its public fields with their defaults as written
    (``services={}``, ``policy=Policy()``) where attrs would show ``NOTHING``; fields kept
    for the library's own use (a leading underscore: ``_index``) are left out."""
    import attrs

    if what in ("class", "exception"):
        _forget_types(app, name, ["return"])  # a class's __init__ returns None: not news
    if what != "class" or not isinstance(obj, type) or not attrs.has(obj):
        return None
    parts, star = [], False
    for field in attrs.fields(obj):
        if not field.init or field.name.startswith("_"):
            continue
        if field.kw_only and not star:
            parts.append("*")
            star = True
        default = field.default
        parts.append(field.alias if default is attrs.NOTHING
                     else f"{field.alias}={_default(default)}")
    _forget_types(app, name, [f.alias for f in attrs.fields(obj) if f.name.startswith("_")])
    return f"({', '.join(parts)})", return_annotation


def _forget_types(app, name, hidden):  # type: ignore[no-untyped-def]
    """Leave ``hidden`` out of the class's "Parameters" list too (the types autodoc
    recorded for it: where Sphinx 8+ and 7 keep them)."""
    document = getattr(app.env, "current_document", None)
    store = getattr(document, "autodoc_annotations", None)
    if store is None:
        store = getattr(app.env, "temp_data", {}).get("annotations", {})
    for parameter in hidden:
        store.get(name, {}).pop(parameter, None)


def setup(app):  # type: ignore[no-untyped-def]
    # after autodoc's own handler, which records the types this one trims
    app.connect("autodoc-process-signature", _attrs_signature, priority=900)

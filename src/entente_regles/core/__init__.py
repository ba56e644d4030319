"""The bottom layer: values every other layer shares, with no knowledge of any agreement.

- ``values``: ``Lang``, ``Text`` (a short text in French and English), ``Status``,
  ``OptionStatus``;
- ``event``: ``Event`` (a dated act of an agreement's life) and ``Diagnostic``;
- ``errors``: the errors raised on bad input, each naming where and what;
- ``limits``: the accepted ranges of input (dates, amounts, sizes);
- ``textsafe``: control characters shown as escapes before text reaches a terminal;
- ``gc_pause``: the cyclic collector paused around bulk work.

Imports: the standard library and attrs only; nothing else of this package.
"""

"""The second engine, on durable_rules (Python 3.11 and 3.12): ``backend`` (the
``DurableBackend`` session, the only module that imports ``durable``), ``encoding`` (facts
and rules in durable_rules' terms: fixed field names, tagged value types) and ``limits``
(what durable_rules cannot take, refused before the replay starts)."""

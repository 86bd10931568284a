"""Annotations: the Label Studio side of SGIE.

``config`` generates ``annotations/labeling_config.xml`` from ``sgie.schema``;
``convert`` turns one Label Studio annotation's result list into typed records and back,
validating everything the server does not; ``store`` reads and writes the committed,
normalized export ``annotations/export.json`` (annotators ``a``, ``b`` and the ``gold``).
"""

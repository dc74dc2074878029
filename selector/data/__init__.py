"""Layer 1, the scenario as data: settings, weights, the units table, its validation, input files, progress.

Imports only from the layer below (``selector.errors``, ``selector.fields``, ``selector.status``)."""

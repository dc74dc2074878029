"""One module per feature command; ``selector.cli`` registers every click command listed in a module's COMMANDS.

A module here imports ``main``-level helpers from ``selector.cli`` (``handle_errors``, ``_load``, exit codes)
and keeps heavy imports inside its command functions.
"""

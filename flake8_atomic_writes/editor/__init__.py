"""Editor integration: AW diagnostics and quick fixes for language servers.

``textedits`` turns a new text into LSP edits, ``actions`` computes the diagnostics and code
actions of one buffer with the command line's settings and the fixer, and ``pylsp_plugin`` is
the python-lsp-server plugin (the ``pylsp`` entry point) that hands them to the editor.
Nothing outside this subpackage imports it: not the helpers, not the flake8 checker.
"""

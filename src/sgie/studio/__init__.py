"""Label Studio round trip against a real server: serve, push, pull.

What it does
    ``sgie.studio.server`` starts and stops a local, isolated Label Studio server;
    ``sgie.studio.client`` finds a server and talks to it through ``label_studio_sdk``;
    ``sgie.studio.push`` imports the corpus, the committed annotations and optional model
    predictions into a project; ``sgie.studio.pull`` exports a project, normalizes and
    validates it, and writes ``annotations/export.json``.

What it does not do
    No argument parsing (``sgie.commands.studio``); no validation rules of its own
    (``sgie.annotations.convert`` / ``sgie.annotations.store``).
"""

"""factpack: one YAML file of sourced facts in; a PDF handout and an Anki deck out."""

__version__ = "0.1.0"

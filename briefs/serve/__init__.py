"""The live preview: server, HTTP side, its own pages."""

"""Editable editions: an edition's HTML document → a Word document (DOCX)."""

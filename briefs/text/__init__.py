"""Text: the citation grammar, Markdown, Korean line breaking, labels and number formats."""

"""Presentation: every renderer (terminal, Markdown, CSV, xlsx, docx, charts) and the report files."""

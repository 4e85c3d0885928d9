"""REFI-QDA exchange with other QDA programs (ATLAS.ti, MAXQDA, NVivo, QualCoder, …).

- `export_qdpx`: the coded notes as a REFI-QDA project, so the coding can be checked,
  extended or analysed elsewhere.
- `import_qdpx`: codings made elsewhere on the same notes, read back as a second coder's
  folder of coded notes, for `dialogtool agree`.
- `export_qdc` / `import_qdc`: the codebook alone.

How this module reads the standard (REFI-QDA 1.5, project schema of March 2019):
- A .qdpx is a zip with one project.qde (XML, namespace urn:QDA-XML:project:1.0) and the
  sources in a flat `sources/` folder named by GUID; a plain-text source is a UTF-8 .txt
  file referred to as `internal://<guid>.txt`, and the TextSource carries plainTextPath
  (the schema allows that or PlainTextContent, not both).
- Text selections count Unicode code points from 0 and the end position is exclusive
  (in the spec's examples end - start is the length of the quoted text), which is
  Python's `text[start:end]`: a segment's `span` is exported unchanged. Programs differ
  on import (NVivo counts UTF-16 code units, ATLAS.ti a CRLF as one): `positions`.
- Note metadata (meeting, date, …) are document variables: Variables declared once in the
  project, a VariableValue per note on its TextSource, as MAXQDA and QualCoder exchange
  document attributes. A variable is Integer or Date when every value in the corpus is
  one, otherwise Text.
- A reviewer's note is the selection's Description and a Note (PlainTextContent) the
  selection refers to with a NoteRef; one user and dates taken from the coded file stamp
  every element, as every real exporter does and older clients require.

GUIDs are uuid5 of a fixed namespace and what they stand for (a code id; a note's id; a
note and segment id), so the same coding always exports the same bytes, and an import can
recognise its own codes and notes by GUID before falling back to names.
"""

from __future__ import annotations

from .codebook_import import CodebookImport, import_qdc
from .export import ExportSummary, export_qdc, export_qdpx
from .project_import import ImportSummary, import_qdpx
from .qda import code_guid, guid, source_guid
from .text import note_text

__all__ = [
    "CodebookImport",
    "ExportSummary",
    "ImportSummary",
    "code_guid",
    "export_qdc",
    "export_qdpx",
    "guid",
    "import_qdc",
    "import_qdpx",
    "note_text",
    "source_guid",
]

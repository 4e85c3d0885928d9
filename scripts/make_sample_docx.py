"""Write the invented sample notes in data/raw/ as .docx files, byte for byte reproducible.

Each note uses real Word structures that dialogtool must read: 'Heading 1'/'Heading 2'
paragraphs, a bold short line as a heading, 'List Number' and 'List Bullet' paragraphs
and one 2-column table ("Utfordring | Tiltak"). Core properties and zip timestamps are
fixed so that regenerating gives identical bytes. All text is invented for dialogtool.

Needs python-docx:

    python scripts/make_sample_docx.py [OUT_DIR]      # default: data/raw

The .txt samples come from scripts/make_sample_txt.py, which this script also runs
(pass --docx-only to skip it).
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from docx import Document

FIXED_TIME = datetime(2018, 10, 26, 12, 0, 0, tzinfo=UTC)
ZIP_TIME = (2018, 10, 26, 12, 0, 0)

# Each note is written in a tiny line format, one block per line:
#   "# "  Heading 1        "## " Heading 2        "** " short bold line (heading-like)
#   "1. " List Number      "- "  List Bullet      "| a | b" table row (first row = header)
#   anything else: a plain paragraph.  Consecutive "|" rows form one table.

HARSTAD_BORD3 = """\
# Oppsummering dialogmøte Harstad
** Kafébord 3.
## Oppgave om individuell plan og koordinator
Bordvert: Hanne Kvalvik
Vi fikk tre spørsmål å jobbe med:
1. Hvordan fungerer individuell plan for pasientene våre i dag?
1. Hva gjør at så få får koordinator?
1. Hvordan kan sykehuset og kommunene dele på ansvaret?
## 1) Hvordan fungerer det i dag?
- Der planen er i bruk, sier pasientene at de får bedre oversikt og slipper å fortelle \
historien sin på nytt.
- Mange planer blir laget én gang og aldri oppdatert.
- Pasienter som er innlagt på UNN Harstad, har sjelden med seg planen fra kommunen.
- Brukerrepresentanten etterlyste at pasienten selv får skrive målene.
## 2) Hvorfor så få koordinatorer?
- Rollen kommer i tillegg til full stilling, uten at noe annet blir tatt bort.
- Lite opplæring – mange vet ikke hva som forventes av dem.
- Det er vanskelig å si nei når man blir spurt, og vanskelig å si ja når man vet hvor \
mye arbeid det er.
- Noen grupper blir sjelden tilbudt plan, f.eks. kreftpasienter med seinskader etter \
behandling og personer med rus og psykiske lidelser som også har en somatisk sykdom.
## 3) Ansvar mellom sykehus og kommune
Bordet var enig om at sykehuset ikke skal eie planen, men at de må melde behovet \
tidlig til koordinerende enhet i kommunen → da kan koordinator være på plass før \
pasienten kommer hjem. Flere ønsket seg samme IP-mal i alle kommunene i Sør-Troms.
Utfordringer og tiltak vi ble enige om:
| Utfordring | Tiltak
| IP blir startet for sent | Spørre om behov for plan allerede i innkomstsamtalen, og \
melde til KE før utskriving.
| Koordinatorene mangler opplæring og veiledning | Felles kurs for nye koordinatorer to \
ganger i året, og et nettverk der de kan drøfte vanskelige saker.
| Planen følger ikke pasienten | Elektronisk plan som både sykehus og kommune kan lese \
og skrive i.
Ellers: god stemning og mange engasjerte deltakere. Noen savnet folk fra NAV og \
fastlegene rundt bordet. Forslag om at neste dialogmøte legges til Sortland.
"""

FORDE_BORD3 = """\
# Dialogmøte i Førde 24.10.2018
** Kafébord 3
## Oppgåve: Pasientgrupper som fell mellom to stolar
Spørsmålet til bordet var kva pasientgrupper som ikkje får det \
rehabiliteringstilbodet dei treng, og kva vi kan gjere saman for dei.
** Gruppene vi snakka mest om:
1. ME-pasientar: få tilbod både i kommunane og på sjukehuset. Mange møter lite \
forståing, og det er stor skilnad på kva hjelp dei får.
1. Pasientar med hjerneslag og hovudskadar som kjem heim utan at kommunen veit kva \
kognitive vanskar dei har.
1. Personar med Parkinson og MS, der funksjonen går gradvis ned og behovet for \
oppfølging aldri tek slutt.
1. Personar med rus og psykiske lidingar som òg har somatisk sjukdom – dei fell ofte \
ut av alle tilboda.
1. Eldre med kognitiv svikt, som sjeldan vert vurderte for rehabilitering i det heile.
** Kva kan gjerast?
- Meir opplæring i kommunane om ME og om kognitive vanskar etter hjerneskade.
- Hospitering: fysioterapeutar frå kommunane kan vere nokre dagar på sjukehuset, \
og omvendt.
- Eit ambulant team frå Helse Førde som kan rettleie heimetenesta etter utskriving.
- Fast kontaktperson på sjukehuset for kvar kommune.
Utfordringar og tiltak (samandrag):
| Utfordring | Tiltak
| Lite kunnskap om ME | Kurs og rettleiing frå spesialisthelsetenesta, gjerne på video.
| Kognitive vanskar vert ikkje fanga opp | Kartlegging før utskriving, og resultatet \
sendt med til kommunen.
| Inga oppfølging etter det første året | Årleg kontroll for pasientar med slag, MS og \
Parkinson.
Elles: Det var berre fem personar ved bordet, så vi fekk god tid. Fleire sakna \
fastlegane. Det er mykje å hente på betre samarbeid, men det krev at nokon tek \
ansvar. Maten var god, og lokala fungerte fint.
Astrid Myklebust
Kafévert på bord 3.
"""

DOCX_NOTES = {
    "harstad_bord3.docx": ("Oppsummering kafébord 3, Harstad", "nb-NO", HARSTAD_BORD3),
    "forde_bord3_nynorsk.docx": (
        "Oppsummering kafébord 3, Førde",
        "nn-NO",
        FORDE_BORD3,
    ),
}


def build(title: str, language: str, source: str) -> bytes:
    """Render one note with python-docx and return its deterministic bytes."""
    doc = Document()
    rows: list[list[str]] = []
    for line in [*source.splitlines(), ""]:
        if line.startswith("| "):
            rows.append([cell.strip() for cell in line[2:].split(" | ")])
            continue
        if rows:
            _add_table(doc, rows)
            rows = []
        if line.startswith("# "):
            doc.add_heading(line[2:], level=1)
        elif line.startswith("## "):
            doc.add_heading(line[3:], level=2)
        elif line.startswith("** "):
            doc.add_paragraph().add_run(line[3:]).bold = True
        elif line.startswith("1. "):
            doc.add_paragraph(line[3:], style="List Number")
        elif line.startswith("- "):
            doc.add_paragraph(line[2:], style="List Bullet")
        elif line:
            doc.add_paragraph(line)
    props = doc.core_properties
    props.author = "dialogtool"
    props.last_modified_by = "dialogtool"
    props.title = title
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1
    props.comments = "Invented sample note for dialogtool (scripts/make_sample_docx.py)"
    props.language = language
    raw = io.BytesIO()
    doc.save(raw)
    return _fixed_zip(raw.getvalue())


def _add_table(doc, rows: list[list[str]]) -> None:
    """A 'Table Grid' table with a bold header row."""
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    for cell in table.rows[0].cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed member timestamps so the bytes never change."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def main(argv: list[str]) -> None:
    args = [a for a in argv[1:] if a != "--docx-only"]
    out = Path(args[0]) if args else Path(__file__).resolve().parents[1] / "data" / "raw"
    out.mkdir(parents=True, exist_ok=True)
    for name, (title, language, source) in DOCX_NOTES.items():
        data = build(title, language, source)
        (out / name).write_bytes(data)
        print(f"wrote {out / name} ({len(data)} bytes)", file=sys.stderr)
    if "--docx-only" not in argv:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import make_sample_txt

        make_sample_txt.main([argv[0], *args])


if __name__ == "__main__":
    main(sys.argv)

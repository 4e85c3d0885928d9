"""Write the invented sample notes in data/raw/ as .txt files with exact bytes.

The notes imitate café-table summaries from dialogue meetings as they look after
extraction from Word or PDF: blank line after every line, indented continuation
lines, trailing spaces, lost or private-use bullet glyphs (U+F0B7, U+F0F0),
hyphenated line breaks, non-breaking spaces, a form feed, CRLF line ends and
several encodings (UTF-8, UTF-8 with BOM, Windows-1252, UTF-16 LE with BOM).

All text is invented for dialogtool. Trailing spaces are added by code (``pad``)
rather than typed into the strings, so formatters cannot strip them.

    python scripts/make_sample_txt.py [OUT_DIR]      # default: data/raw
"""

from __future__ import annotations

import sys
from pathlib import Path

NBSP = "\u00a0"
PUA_BULLET = "\uf0b7"  # Symbol-font bullet from Word, as extracted
PUA_ARROW = "\uf0f0"  # Wingdings arrow bullet from Word, as extracted
BOM_UTF8 = b"\xef\xbb\xbf"
BOM_UTF16LE = b"\xff\xfe"


def pad(text: str, cycle: tuple[int, ...]) -> str:
    """Append trailing spaces to each line, counts from ``cycle`` in turn.

    Lines ending in a hyphen (word broken across lines) and the end of the text are left alone.
    """
    lines = text.split("\n")
    padded = [line if line.endswith("-") else line + " " * cycle[i % len(cycle)] for i, line in enumerate(lines[:-1])]
    return "\n".join(padded + lines[-1:])


def doubled(text: str) -> str:
    """Follow every line with an empty line, as Word-to-text export often does."""
    return text.replace("\n", "\n\n")


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


# --------------------------------------------------------------------------------------
# Bodø, kafébord 2 (Bokmål). UTF-8, every line doubled, indented continuation lines,
# trailing spaces, U+F0F0 arrow bullets, "→", «», NBSP, writing-place/date line on top.
BODO = f"""
Fauske 15.10.2018

Oppsummering etter dialogmøte i Bodø 12.10.2018,
Kafebord 2

Rundt bordet satt to fra Nordlandssykehuset, fysio- og ergoterapeuter fra tre kommuner,
en brukerrepresentant og en fastlege som dessverre måtte gå etter en halvtime.
Vi snakket ganske fritt ut fra spørsmålene, og dette er det som gikk igjen:

1) Utskriving → kommunen får for sent beskjed om at pas. skal hjem. Flere fra hjemmetjenesten
    fortalte om utskrivinger sent på fredag der ingen i kommunen var forberedt, og om
    epikriser som kommer lenge etter at pasienten er hjemme.
   {PUA_ARROW} Tiltak: sykehuset ringer kommunen dagen før utskriving, ikke bare sender melding.
   {PUA_ARROW} Epikrise og sykepleiesammenfatning må følge pasienten samme dag.

2) Ønske om å bruke video (VK) ifm. overflytting fra sykehuset til kommunen, slik at
     terapeuten på avdelingen kan vise hva pasienten klarer og hvilke øvelser som er i gang.
     Dette ble sett på både som bedre informasjon og som en måte å lære av hverandre på.

3) Koordinerende enhet: flere visste ikke hvem som har KE-rollen i egen kommune. I to av kommunene
     ligger KE på tildelingskontoret, i den tredje er det en fysioterapeut i 20{NBSP}% stilling.
     Sykehuset opplever at det ikke finnes noen fast «inngang» i kommunene.
   {PUA_ARROW} Tiltak: oppdatert oversikt over KE i alle kommunene i Nordland, lagt ut på nett.

4) Individuell plan blir startet for sent, ofte først når pasienten har vært hjemme i
     flere måneder. Koordinatorene står alene og savner veiledning. Brukerrepresentanten
     minnet om at planen er pasientens egen og ikke et skjema for de ansatte.

5) Pasienter som faller mellom to stoler: slagpasientene som ikke fyller kravene til
     opphold på rehabiliteringsavdeling, men som heller ikke klarer seg hjemme, og unge
     hodeskadde der kognitive vansker først blir oppdaget når de prøver å gå tilbake til
     jobb eller skole. Her trengs logoped, ergoterapeut, nevropsykolog osv., og det har
     de minste kommunene ikke.

6) Kapasitet og ventetid ble nevnt, men vi brukte ikke mye tid på det. Bordet var samstemt:
     det var nyttig å møtes fysisk igjen, og lunsjen fikk god omtale.


Vi rakk ikke spørsmålet om pakkeforløp, evnt. kan det tas opp på neste samling.
Takk for et engasjert bord!

Siri Johanne
Kafévert på bord 2.
"""

# --------------------------------------------------------------------------------------
# Tromsø, kafébord 1, task about KE (Bokmål). UTF-8 with BOM. Bullet glyph lost in
# extraction: bullet lines start with a single space; continuation lines start at
# column 0. "-" bullets under "Utfordringer omkring IP:", one without a space ("-Vanskelig").
# The header has no date (and meta.yaml gives none either).
TROMSO = """Oppsummering dialogmøte Tromsø
Kafébord 1.
Bordets oppgave: koordinerende enhet (KE)
Bordvert/referat: Tor Einar Mikkelsen

Oppgave 1:
Utfordringer:
 Få vet at KE finnes, heller ikke alle ansatte på sykehuset.
 «Hvem skal jeg ringe til?» – det vanligste spørsmålet fra pårørende.
 Oppgavene er lagt til folk med mange andre roller, og KE blir det som må
vente når det er travelt.
 Kontaktinformasjonen på kommunenes nettsider er ofte gammel.
 Organiseringen er svært ulik fra kommune til kommune, og det gjør det vanskelig for
UNN å vite hvor henvendelsen skal sendes.
 Lite forankring hos ledelsen; KE er sjelden nevnt i planer og budsjett.

Utfordringer omkring IP:
- Pasienten må selv få sette målene, ikke bare fagfolkene.
- Mange takker nei fordi de ikke vet hva en plan innebærer.
- Planen ligger i kommunen og følger ikke med når pas. blir lagt inn.
-Vanskelig å rekruttere koordinatorer, særlig til de lange
forløpene.
- Fra spes.helse: uklart hvem som skal starte arbeidet når pasienten er innlagt.

Muligheter:
 KE som fast sak i samarbeidsmøtene mellom UNN og kommunene.
 En felles kontaktliste for KE i hele regionen, oppdatert to ganger i året.
 Nettverk for de som jobber i KE, med samlinger på video mellom de fysiske
møtene.
 Tydelig mandat fra ledelsen og avsatt tid til oppgavene.
 Opplæring av nye koordinatorer før de får sin første sak.
 Sjekkpunkt ved innkomst: har pasienten behov for koordinator?

Oppgave 2:
Hva bør KE få beskjed om fra sykehuset?
 Alle pasienter med behov for langvarige og koordinerte tjenester, i god tid før
utskriving.
 At en plan er startet på sykehuset, og hvem som har vært kontaktperson der.

Annet:
 Bordet var enig om at tiden var for kort til to oppgaver.
 Vi savnet noen fra fastlegene.
 Flere ønsket at presentasjonene blir sendt ut i etterkant.
"""

# --------------------------------------------------------------------------------------
# Mo i Rana, dialogkafébord 4 – Kompetanse (Bokmål). Windows-1252, CRLF.
# "•" and "–" bullets, indented continuation lines, NBSP, «». (No "→": not in cp1252.)
MO_I_RANA = f"""Dialogmøte i Mo i Rana 03.10.2018
dialogkafebord 4 – Kompetanse
Bordvert/referat: Marit Hansen Lie

Spørsmål til bordet: Hvordan kan sykehus og kommuner dele kompetanse, og hva trenger vi mest av?

Hva vi har i dag:
• Rehabiliteringsteamet ved Helgelandssykehuset reiser ut til kommunene et par ganger i året.
• Noen kommuner har hatt ansatte på hospitering på sykehuset, med gode erfaringer.
• Kurs blir stort sett holdt i Bodø eller Tromsø – dyrt og tidkrevende for små kommuner.
• Det finnes et faglig nettverk for fysioterapeuter på Helgeland, men ikke for ergoterapeuter.

Utfordringer:
• Når en pasient med sjeldnere diagnose kommer hjem, f.eks. en ung person med MS eller
  Parkinson, har kommunen ofte ingen med erfaring fra før.
• Sykehuset og kommunen bruker ulike ord om det samme. Det vi kaller «selvhjulpen» betyr
  ikke alltid det samme på en sengepost som i hjemmetjenesten.
• Kompetansen sitter i enkeltpersoner – når de slutter, forsvinner den.
• Pasienter med langvarige muskel-/skjelettplager får kort behandling og så ingen videre
  oppfølging; fysioterapeutene i kommunen har ikke tid til å følge opp.
• Vikarer og ufaglærte i helgene får ingen opplæring i treningsprogrammene som er satt opp.

Tiltak vi ble enige om:
– Hospitering begge veier: ansatte på sykehuset bør også være noen dager i hjemmetjenesten
  for å se hvordan det er å ta imot en pasient.
– Veiledning på video fra spesialisthelsetjenesten de første ukene etter utskriving.
– Felles kursdag for sykehus og kommuner her i Mo{NBSP}i{NBSP}Rana, ikke bare i Bodø.
– E-læring som kan tas i arbeidstiden, f.eks. om kognitiv svikt og forflytning.
– Bygge et nettverk for ergoterapeuter på Helgeland, gjerne etter modell av fysio-nettverket.
– Jobbe mot en felles forståelse av hva rehabilitering er, og hvem som gjør hva.

Annet:
– Bordet var lite, bare fem deltakere, men diskusjonen var god.
– Flere nevnte at lønn og små stillinger gjør det vanskelig å beholde folk.
– Ønske om at neste møte går kl.{NBSP}10–14, slik at de som reiser langt rekker hjem samme dag.
– Takk for god servering!
"""

# --------------------------------------------------------------------------------------
# Førde, kafébord 1, task about informasjonsflyt (Nynorsk). UTF-8. Structure "Del 1:",
# "a)", "1a)", "-" bullets; hyphenated breaks to join ("gjennom-" + blank line + "føring",
# "informasjons-" + "kanalar"), hyphens to keep ("kontaktpunkt/-person", "muskel-/skjelett",
# "system- og personnivå"); a bullet wrapped across a blank line; leading space on line 1.
FORDE_1 = """ Oppsummering frå dialogmøte i Førde 24.10.2018
Kafébord 1
Oppgåve om informasjonsflyt
Bordvert/referat: Ingrid Sæle

Bordet fekk desse spørsmåla:
Del 1:
a) Kva informasjon manglar kommunen når pasienten vert skriven ut frå sjukehus?
b) Kva manglar sjukehuset når pasienten vert lagd inn?
Del 2:
a) Korleis kan vi sikre at informasjonen kjem fram i tide?
b) Kven bør ha kontakt med kven?

1a) Kva manglar kommunen?
- Oppdatert funksjonsvurdering frå fysioterapeut og ergoterapeut, ikkje berre medisinliste
- Kva pasienten sjølv har sett som mål for opphaldet
- Om det er søkt om eller starta individuell plan, og kven som er koordinator
- Namn på eit kontaktpunkt/-person på avdelinga som kommunen kan ringje til

1b) Kva manglar sjukehuset?
- Korleis pasienten fungerte heime før innlegginga
- Kva tenester pasienten allereie har frå kommunen, og kven som kjenner pasienten best
- For personar med rus og psykiske lidingar: kven som følgjer opp i kommunen, slik at ein

ikkje startar på nytt kvar gong

2a) Korleis sikre at informasjonen kjem fram?
- Faste rutinar for gjennom-

føring av utskrivingssamtale, der kommunen kan vere med på video
- PLO-meldingar må sendast til rett eining; i dag hamnar mykje hos feil mottakar
- Felles omgrep på system- og personnivå, slik at ein meiner det same med «utskrivingsklar»
- Kommunane må sjølve halde adresselistene oppdaterte

2b) Kven bør ha kontakt med kven?
- Terapeut til terapeut ved overgangar, ikkje berre sjukepleiar til sjukepleiar
- Koordinerande eining i kommunen bør få kopi når det er behov for langvarige tenester
- Fastlegen må få epikrisa same dag som pasienten kjem heim

Andre innspel:
- Informasjon til pasientane bør gå ut i fleire informasjons-
kanalar: brev, Helsenorge, brosjyrar på legekontoret
- Pasientar med muskel-/skjelettplager vert ofte sende heim utan plan for vidare trening
- Fleire meinte at mykje av dette er kjent frå før, men at få gjer noko med det saman
- Det var god stemning rundt bordet, og tida gjekk altfor fort. Vi vil gjerne ha meir tid òg neste år.
"""

# --------------------------------------------------------------------------------------
# Group 3 (blue), IP and koordinator (Bokmål). UTF-16 LE with BOM, CRLF. U+F0B7 bullet
# glyph followed by a tab, wrapped bullets, trailing spaces. The header names no place
# (meta.yaml supplies "Hammerfest").
HAMMERFEST = f"""Dialogmøte 19.09.2018 – gruppearbeid
Gruppe 3 - blå
Tema: individuell plan og koordinator
Referent: Johan Persen Eira

Deltakere: ergoterapeut og leder for KE i Alta, to sykepleiere fra Hammerfest sykehus,
hjemmesykepleien i Hasvik, en brukerrepresentant og en lege fra UNN på video.

Hva fungerer:
{PUA_BULLET}\tDer det finnes en fast koordinator, blir overgangene mellom sykehus og hjem
tryggere.
{PUA_BULLET}\tPlanen gir pasienten oversikt og en stemme i sitt eget forløp.
{PUA_BULLET}\tGode erfaringer med ansvarsgruppemøter på video mens pasienten fortsatt er
innlagt.

Hva er vanskelig:
{PUA_BULLET}\tMange kjenner ikke til retten til individuell plan, og blir heller ikke spurt.
{PUA_BULLET}\tSmå kommuner der én eller to personer skal dekke alt; koordinatorrollen kommer
på toppen av full stilling.
{PUA_BULLET}\tPlanen blir laget, men ikke brukt – den blir liggende i en perm.
{PUA_BULLET}\tKreftpasienter med seinskader etter behandling trenger plan, men blir sjelden
fanget opp når behandlingen er ferdig.
{PUA_BULLET}\tLange avstander: pasienten ligger på sykehus i Tromsø, kommunen er i Vest-Finnmark,
og ingen vet hvem som har ansvaret mens pas. er borte.

Forslag:
{PUA_BULLET}\tElektronisk plan som sykehus og kommune kan dele.
{PUA_BULLET}\tOpplæring for koordinatorer, gjerne e-læring kombinert med én samling i året.
{PUA_BULLET}\tSykehuset bør melde fra til koordinerende enhet så snart de ser behov for plan.
{PUA_BULLET}\tEgen koordinator for barn og unge, der foreldrene i dag gjør koordineringen selv.

Diverse:
{PUA_BULLET}\tGruppen var godt blandet, og alle fikk sagt noe.
{PUA_BULLET}\tLitt dårlig lyd på videoforbindelsen i starten.
{PUA_BULLET}\tVi foreslår at gruppearbeidet får mer tid neste gang, minst en time.
"""

# --------------------------------------------------------------------------------------
# Narvik, kafébord 5 / gruppe 2 - grønn, patient groups (Bokmål). UTF-8, as from
# pdftotext: hard wraps mid-sentence without indentation, a page footer and a form feed
# (U+000C), NBSP inside "Kafebord 5", hyphenated break to join ("rehabiliterings-" +
# "tilbud") and one to keep ("fysio-" + "og ergoterapeut"), many abbreviations.
NARVIK = f"""Oppsummering etter dialogmøte i Narvik 26.09.2018
Kafebord{NBSP}5
Gruppe 2 - grønn
Oppgave om pasientgrupper med udekkede behov
Bordvert/referat: Lena Marie Olsen

Vi var sju rundt bordet, bl.a. to brukerrepresentanter og en fastlege. Spørsmålet var hvilke
pasientgrupper som ikke får den rehabiliteringen de trenger i dag, og hva vi kan gjøre med det
sammen.

Innspill fra bordet:
1) ME-pasienter: lite kunnskap i kommunene, og heller ikke nok i spes.helse. Mange sendes mellom
fastlege, NAV og sykehus uten at noen tar ansvar, og pasientene opplever ikke å bli trodd. Det
finnes ingen egne rehab.opphold i Nordland for denne gruppen.
2) Eldre med kognitiv svikt blir ofte vurdert som «for dårlige» til rehabilitering etter et
brudd eller en lungebetennelse, og går rett til sykehjem. Hjemmetjenesten ønsker bl.a. mer
veiledning i hvordan man trener med personer som har demens.
3) Hjerneslag og andre nevrologiske sykdommer (MS, Parkinson): oppfølgingen etter utskriving er
god det første halve året, deretter stopper det opp, og pasientene mister funksjon de hadde
trent opp. Forslag om fast kontroll etter ett år, f.eks. på poliklinikk eller på video.
4) Kreftpasienter med seinskader: trøtthet, smerter og konsentrasjonsvansker etter behandling
blir ikke fanget opp. Kreftkoordinatoren i kommunen har ikke kapasitet til rehabilitering.
5) Personer med rus og psykiske lidelser som også har en somatisk sykdom blir ofte skrevet ut
uten at kommunen får el. melding om de somatiske behovene. Rusteamet og hjemmesykepleien
snakker for lite sammen.
6) Muskel-/skjelettlidelser: lang ventetid på fysioterapi, og etter et kort opphold er det
ingen som følger opp treningen.

Side 1 av 2
\f
Felles for flere av gruppene:
- Tilbudet avhenger av hvilken kommune du bor i. Små kommuner har ikke fysio-
og ergoterapeut i full stilling, og logoped, psykolog m.m. er vanskelig å få tak i.
- Det trengs rehabiliterings-
tilbud nærmere hjemmet, slik at pasientene slipper å reise til Tromsø eller Bodø.
- Brukerorganisasjonene kan mye om sine grupper og bør brukes mer.

Annet:
- God diskusjon, men vi kom ikke gjennom alle spørsmålene.
- Lokalet var trangt og det var vanskelig å høre hverandre.

Side 2 av 2
"""


def notes() -> dict[str, bytes]:
    """File name -> exact bytes of each .txt sample."""
    return {
        "bodo_2018-10-12_bord2.txt": doubled(pad(BODO, (1, 0, 2, 1, 3, 0, 1))).encode("utf-8"),
        "tromso_bord1_ke.txt": BOM_UTF8 + pad(TROMSO, (1, 0, 0, 2, 1)).encode("utf-8"),
        "Mo i Rana bord 4.txt": crlf(MO_I_RANA).encode("cp1252"),
        "forde_bord1_nynorsk.txt": pad(FORDE_1, (1, 0, 1, 2)).encode("utf-8"),
        "hammerfest_gruppe3_bla.txt": BOM_UTF16LE + crlf(pad(HAMMERFEST, (1, 1, 0, 2))).encode("utf-16-le"),
        "narvik_bord5.txt": NARVIK.encode("utf-8"),
    }


def main(argv: list[str]) -> None:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "data" / "raw"
    out.mkdir(parents=True, exist_ok=True)
    for name, data in notes().items():
        (out / name).write_bytes(data)
        print(f"wrote {out / name} ({len(data)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)

"""`dialogtool review`: one segment at a time, decided with the keyboard, written at once.

A Textual app over `analysis.review.ReviewSession`, which does all the work: this module
only lays out the current segment and maps keys to the session's methods. It fits an
80×24 terminal and needs nothing but a terminal (it works over SSH). Imported only by
`review`, so `dialogtool --help` never loads Textual (tests/test_startup.py).

Keys: 1–9 switch a top-level theme, `c` picks a child code, `n` writes a note, `a` accepts
the codes as they stand and moves on, `u` undoes, ←/→ move, `q` quits.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ..analysis.review import Evidence, Item, ReviewSession
from ..errors import DialogtoolError

_CSS = """
#where { height: auto; max-height: 2; color: $text-muted; }
#text { height: 1fr; border: round $accent; padding: 0 1; }
#codes { height: auto; max-height: 8; }
#status { height: 1; background: $boost; }
#keys { height: 1; color: $text-muted; }
#note-input, #picker { display: none; }
#note-input.open, #picker.open { display: block; }
#picker { height: auto; max-height: 10; }
"""


class ReviewApp(App[None]):
    """The review screen; `session` holds the segments, the decisions and the undo stack."""

    CSS = _CSS
    ENABLE_COMMAND_PALETTE = False
    AUTO_FOCUS = None  # every key is the app's until `n` or `c` opens the note box or the picker
    TITLE = "dialogtool review"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(n), f"theme({n - 1})", show=False) for n in range(1, 10)),
        Binding("left", "move(-1)", "back"),
        Binding("right", "move(1)", "next"),
        Binding("a", "accept", "accept"),
        Binding("c", "pick", "child code"),
        Binding("n", "note", "note"),
        Binding("u", "undo", "undo"),
        Binding("q", "quit", "quit"),
    ]

    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session
        self.themes = [code.id for code in session.codebook.top_level]
        self.child_codes = [code for code in session.codebook.codes if code.parent is not None]
        self.message = ""

    def compose(self) -> ComposeResult:
        yield Static(id="where")
        with VerticalScroll(id="text", can_focus=False):  # ←/→ move between segments, not scroll
            yield Static(id="units")
        yield Static(id="codes")
        yield Input(placeholder="Note (Enter saves, empty removes, Esc cancels)", id="note-input")
        yield OptionList(*(Option(f"{c.id}  {c.label}", id=c.id) for c in self.child_codes), id="picker")
        yield Static(id="status")
        # The keys, always shown: Textual's Footer lists them only once a widget has focus.
        yield Static(
            Text(f" 1–{len(self.themes)} theme  c child code  n note  a accept  u undo  ←/→ move  q quit"), id="keys"
        )

    def on_mount(self) -> None:
        self.refresh_item()

    # -- showing ---------------------------------------------------------------------------

    def refresh_item(self) -> None:
        """Lay the current segment out again (after every key)."""
        if not len(self.session):
            self.query_one("#units", Static).update(Text("No segments to review (check --theme and --only)."))
            return
        item = self.session.current()
        self.query_one("#where", Static).update(_where(item))
        self.query_one("#units", Static).update(_units(item))
        self.query_one("#codes", Static).update(self._codes(item))
        self.query_one("#status", Static).update(self._status(item))

    def _codes(self, item: Item) -> Text:
        codes = item.codes
        evidence = {e.code: e for e in item.evidence}
        out = Text()
        for number, theme in enumerate(self.themes, start=1):
            on = [c for c in codes if c == theme or c.startswith(theme + ".")]
            out.append(f"{number} ", style="bold")
            out.append("[x] " if on else "[ ] ", style="green" if on else "dim")
            out.append(f"{theme:<8}", style="bold" if on else "")
            shown = ", ".join(c.split(".", 1)[1] for c in on if "." in c)
            if shown:
                out.append(f" {shown}")
            why = [_why(evidence[c]) for c in on if c in evidence]
            added = [c for c in on if c not in item.segment.codes]
            if why:
                out.append("  " + "; ".join(why), style="dim")
            if added:
                out.append("  (added by review)", style="cyan")
            out.append("\n")
        review = item.segment.review
        if review is not None and review.note:
            out.append("Note: ", style="bold")
            out.append(review.note)
        return out

    def _status(self, item: Item) -> Text:
        review = item.segment.review
        state = "not reviewed" if review is None else ("accepted" if review.accepted else "reviewed")
        who = f" by {review.by}" if review is not None and review.by else ""
        text = Text(
            f" {self.session.progress()} · segment {self.session.position + 1}/{len(self.session)} · {state}{who}"
        )
        if self.message:
            text.append(f" · {self.message}", style="yellow")
        return text

    # -- keys ------------------------------------------------------------------------------

    def _do(self, action: str, *args: object) -> None:
        """Run a session method; a problem (a file changed under us) is shown, not raised."""
        self.message = ""
        try:
            getattr(self.session, action)(*args)
        except DialogtoolError as exc:
            self.message = str(exc)
        self.refresh_item()

    def action_theme(self, index: int) -> None:
        if index < len(self.themes) and len(self.session):
            self._do("toggle", self.themes[index])

    def action_move(self, step: int) -> None:
        self._do("move", step)

    def action_accept(self) -> None:
        if len(self.session):
            self._do("accept")

    def action_undo(self) -> None:
        self.message = ""
        if not self.session.undo():
            self.message = "nothing to undo"
        self.refresh_item()

    def action_note(self) -> None:
        if not len(self.session):
            return
        box = self.query_one("#note-input", Input)
        review = self.session.current().segment.review
        box.value = review.note or "" if review is not None else ""
        box.add_class("open")
        box.focus()

    def action_pick(self) -> None:
        if len(self.session) and self.child_codes:
            picker = self.query_one("#picker", OptionList)
            picker.highlighted = 0  # the same key presses pick the same code every time
            picker.add_class("open")
            picker.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._close(event.input)
        self._do("set_note", event.value)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._close(event.option_list)
        if event.option.id is not None:
            self._do("toggle", event.option.id)

    def on_key(self, event: events.Key) -> None:
        if event.key == "escape":
            for widget in (self.query_one("#note-input", Input), self.query_one("#picker", OptionList)):
                if widget.has_class("open"):
                    self._close(widget)

    def _close(self, widget: Input | OptionList) -> None:
        widget.remove_class("open")
        self.set_focus(None)


def _where(item: Item) -> Text:
    meta = item.meta
    parts = [str(meta[k]) for k in ("meeting", "date", "table", "topic") if meta.get(k) not in (None, "")]
    text = Text(item.document, style="bold")
    if parts:
        text.append(" · " + " · ".join(parts))
    if item.segment.section:
        text.append("\n" + " › ".join(item.segment.section))
    return text


def _units(item: Item) -> Text:
    text = Text()
    for unit in item.before:
        text.append(unit + "\n\n", style="dim")
    text.append("▶ ", style="bold cyan")
    text.append(item.segment.text, style="bold")
    for unit in item.after:
        text.append("\n\n" + unit, style="dim")
    return text


def _why(evidence: Evidence) -> str:
    """The evidence for a code in a few words: the matched patterns, or the context rule and its source."""
    if evidence.terms:
        return "«" + "», «".join(evidence.terms) + "»"
    if evidence.rule:
        return f"{evidence.rule}: «{evidence.source[:30]}»" if evidence.source else evidence.rule
    return ""

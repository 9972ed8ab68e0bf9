"""The Textual review UI: a keyboard-driven view over :class:`ReviewSession`.

Imported only by ``syscause review`` (Textual is not needed to import syscause). Every key that
makes a decision writes it to the database before the screen is redrawn, so quitting (or a
killed terminal) loses nothing.
"""

from __future__ import annotations

import os
from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from syscause.review.highlight import CUE_STYLE, factor_style, narrative_markup
from syscause.review.records import FRAMINGS
from syscause.review.session import ReviewSession

HELP = (
    "a accept  r reject  ↑↓/j k move  n add factor  f framing  1-5 rate rewrite  c comment  "
    "enter done/next  s skip  b back  q quit"
)


class ChoiceScreen(ModalScreen[str | None]):
    """Pick one of a list by typing to filter and pressing enter; escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "cancel"),
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
    ]

    def __init__(self, title: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices  # (value, shown text)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(f"{self.title_text} (type to filter, enter picks, escape cancels)"))
            yield Input(placeholder="filter", id="filter")
            yield OptionList(*self._options(""), id="choices")

    def _options(self, needle: str) -> list[Option]:
        needle = needle.strip().lower()
        return [
            Option(Text(shown), id=value)
            for value, shown in self.choices
            if needle in value.lower() or needle in shown.lower()
        ]

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0 if options.option_count else None
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self._options(event.value))
        options.highlighted = 0 if options.option_count else None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        option = self.query_one(OptionList).highlighted_option
        self.dismiss(option.id if option is not None else None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cursor(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = min(max(current + delta, 0), options.option_count - 1)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CommentScreen(ModalScreen[str | None]):
    """One line of comment; enter saves, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]

    def __init__(self, current: str | None) -> None:
        super().__init__()
        self.current = current or ""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Comment (enter saves, escape cancels)")
            yield Input(value=self.current, id="comment")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Body(VerticalScroll, can_focus=False):
    """The scrolling item view; not focusable, so the arrow keys move the factor cursor."""


class ReviewScreen(Screen[None]):
    """One item at a time: narrative, factors, framing, rewrite, comment."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "accept", "accept"),
        Binding("r", "reject", "reject"),
        Binding("up,k", "move(-1)", "up"),
        Binding("down,j", "move(1)", "down"),
        Binding("n", "add", "add factor"),
        Binding("f", "framing", "framing"),
        *(Binding(str(i), f"rate({i})", show=False) for i in range(1, 6)),
        Binding("c", "comment", "comment"),
        Binding("enter", "done", "done"),
        Binding("s", "skip", "skip"),
        Binding("b", "back", "back"),
        Binding("q", "quit", "quit"),
    ]

    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Static(id="header")
        with Body():
            yield Static(id="narrative")
            yield Static(id="factors")
            yield Static(id="framing")
            yield Static(id="reframe")
            yield Static(id="comment")
        yield Static(id="status")
        yield Static(Text(HELP), id="help")

    def on_mount(self) -> None:
        self.refresh_view("")

    # -- rendering -------------------------------------------------------------------------

    def refresh_view(self, message: str) -> None:
        """Redraw every panel from the session state."""
        s = self.session
        self.query_one("#status", Static).update(Text(message))
        item = s.item
        if item is None:
            self.query_one("#header", Static).update(
                Text(
                    f"Queue finished ({len(s.queue)} items; {s.written} decisions saved this "
                    f"session). b goes back, q quits."
                )
            )
            for panel in ("#narrative", "#factors", "#framing", "#reframe", "#comment"):
                self.query_one(panel, Static).update("")
            return
        review = s.review()
        status = "done" if review.done else ("skipped before" if review.skipped else "open")
        flag = "needs review" if item.needs_review else "confident"
        # Text, not a markup string: ids, names and comments may contain [brackets].
        self.query_one("#header", Static).update(
            Text(
                f"item {s.index + 1}/{len(s.queue)}  id {item.item_id}  {flag}  "
                f"model {item.model}  reviewer {s.reviewer}  [{status}]"
            )
        )
        markup = narrative_markup(item.text, item.record)
        narrative = markup.text
        if markup.unplaced:
            narrative = narrative.copy()
            narrative.append(
                f"\n({markup.unplaced} span(s) do not match this narrative and are not shown)",
                style="italic",
            )
        self.query_one("#narrative", Static).update(narrative)
        self.query_one("#factors", Static).update(self._factors_text())
        self.query_one("#framing", Static).update(self._framing_text())
        self.query_one("#reframe", Static).update(self._reframe_text())
        comment = review.comment
        self.query_one("#comment", Static).update(Text(f"Comment: {comment}" if comment else ""))

    def _factors_text(self) -> Text:
        s = self.session
        item = s.item
        assert item is not None
        out = Text("Factors\n", style="bold")
        rows = s.factor_rows()
        if not rows:
            out.append("  (none asserted; n adds a missing factor)\n", style="italic")
        asserted = list(item.asserted)
        for i, row in enumerate(rows):
            pointer = "▶ " if i == s.cursor else "  "
            swatch = factor_style(asserted.index(row.label)) if row.asserted else "on grey30"
            if row.decision is None:
                decision, colour = "· undecided", "dim"
            elif row.decision:
                decision, colour = ("✓ accepted" if row.asserted else "+ added"), "green"
            else:
                decision, colour = "✗ rejected", "red"
            origin = "model" if row.asserted else "reviewer"
            out.append(pointer, style="bold")
            out.append("  ", style=swatch)
            name = s.label_names.get(row.label, "")
            out.append(f" {row.label:<22} {row.score:5.2f}  {origin:<8}  ")
            out.append(f"{decision:<12}", style=colour)
            out.append(f"  {name}\n" if name else "\n", style="dim")
        others = sorted(
            ((sc, lb) for lb, sc in item.record["scores"].items() if lb not in item.asserted),
            reverse=True,
        )[:3]
        out.append(
            "  next scores: " + ", ".join(f"{lb} {sc:.2f}" for sc, lb in others) + "\n",
            style="dim",
        )
        return out

    def _framing_text(self) -> Text:
        item = self.session.item
        assert item is not None
        blame = item.record["blame"]
        chosen = self.session.review().framing
        out = Text("Framing: ", style="bold")
        out.append(f"model {item.framing} (blame score {float(blame.get('score', 0)):.2f})")
        out.append(f"  reviewer {chosen}\n" if chosen else "  reviewer: unchanged\n")
        for cue in blame.get("cues") or []:
            out.append(f"  cue {cue.get('type', '')}: ")
            out.append(str(cue.get("text", "")), style=CUE_STYLE)
            out.append("\n")
        return out

    def _reframe_text(self) -> Text:
        item = self.session.item
        assert item is not None
        suggestions = item.record.get("reframe") or []
        out = Text("Rewrite suggestion", style="bold")
        rating = self.session.review().rating
        out.append(f"  rated {rating}/5\n" if rating else "\n")
        if not suggestions:
            out.append("  (none for this item)\n", style="italic")
        for sug in suggestions:
            out.append("  - ")
            out.append(str(sug.get("original", "")), style="strike")
            out.append("\n  + ")
            out.append(str(sug.get("rewrite", "")), style="green")
            out.append("\n")
            for q in sug.get("questions") or []:
                out.append(f"    ? {q}\n", style="cyan")
        return out

    # -- actions ---------------------------------------------------------------------------

    def action_accept(self) -> None:
        self.refresh_view(self.session.accept())

    def action_reject(self) -> None:
        self.refresh_view(self.session.reject())

    def action_move(self, delta: int) -> None:
        self.session.move(delta)
        self.refresh_view("")

    def action_rate(self, stars: int) -> None:
        self.refresh_view(self.session.rate(stars))

    def action_done(self) -> None:
        self.refresh_view(self.session.done())
        self.query_one(Body).scroll_home(animate=False)

    def action_skip(self) -> None:
        self.refresh_view(self.session.skip())
        self.query_one(Body).scroll_home(animate=False)

    def action_back(self) -> None:
        self.refresh_view(self.session.back())

    def action_quit(self) -> None:
        self.app.exit()

    def action_add(self) -> None:
        missing = self.session.missing_labels()
        if self.session.item is None or not missing:
            self.refresh_view("nothing to add")
            return
        names = self.session.label_names
        choices = [(lb, f"{lb}  {names.get(lb, '')}".rstrip()) for lb in missing]

        def picked(label: str | None) -> None:
            self.refresh_view(self.session.add(label) if label else "nothing added")

        self.app.push_screen(ChoiceScreen("Add a missing factor", choices), picked)

    def action_framing(self) -> None:
        if self.session.item is None:
            return

        def picked(framing: str | None) -> None:
            self.refresh_view(self.session.set_framing(framing) if framing else "unchanged")

        choices = [(f, f) for f in FRAMINGS]
        self.app.push_screen(ChoiceScreen("Framing of the narrative", choices), picked)

    def action_comment(self) -> None:
        if self.session.item is None:
            return

        def saved(text: str | None) -> None:
            self.refresh_view(self.session.comment(text) if text is not None else "no comment")

        self.app.push_screen(CommentScreen(self.session.review().comment), saved)


class ReviewApp(App[None]):
    """``syscause review``: the audit loop over a queue of results."""

    TITLE = "syscause review"
    CSS = """
    #header { background: $boost; text-style: bold; padding: 0 1; }
    Body { padding: 0 1; }
    #narrative { margin: 1 0; }
    #factors, #framing, #reframe { margin-bottom: 1; }
    #status { color: $warning; padding: 0 1; height: 1; }
    #help { background: $panel; color: $text-muted; padding: 0 1; }
    ChoiceScreen, CommentScreen { align: center middle; }
    #dialog { width: 70; height: auto; max-height: 24; border: thick $accent;
              background: $surface; padding: 0 1; }
    #choices { height: auto; max-height: 17; }
    """

    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session

    def on_mount(self) -> None:
        self.push_screen(ReviewScreen(self.session))

    def _fatal_error(self) -> None:
        # Textual's crash report is a traceback with local variables, which would print
        # narrative text to the terminal; show the error type only unless SYSCAUSE_DEBUG=1.
        if os.environ.get("SYSCAUSE_DEBUG") == "1":
            super()._fatal_error()
            return
        self.bell()
        kind = type(self._exception).__name__ if self._exception else "unknown"
        self._exit_renderables.append(
            Text(
                f"syscause: error: internal error in the review UI ({kind}); no narrative text "
                "is shown. Decisions made so far are saved. Rerun with SYSCAUSE_DEBUG=1 for a "
                "traceback (it may contain narrative text)."
            )
        )
        self._close_messages_no_wait()

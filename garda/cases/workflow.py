"""The workflow stages of a case and the moves between them (docs/cases.md).

Pure: no database. The record status (open, closed, duplicate) is kept apart from
the stage, as Primero does. Stages move one step at a time:

    new -> triaged -> assigned -> in_progress <-> waiting
    in_progress | waiting -> resolved -> closed
    resolved -> in_progress        (not resolved after all)
    closed -> reopened as in_progress (or triaged when nobody holds the case)

and any open stage may close early with one of the closing reasons (the national
complaint rules' timeouts, a hand-over to another agency). Everything else is a skip.
"""

NEW, TRIAGED, ASSIGNED, IN_PROGRESS, WAITING, RESOLVED, CLOSED = (
    "new",
    "triaged",
    "assigned",
    "in_progress",
    "waiting",
    "resolved",
    "closed",
)
STAGES = (NEW, TRIAGED, ASSIGNED, IN_PROGRESS, WAITING, RESOLVED, CLOSED)

MOVES: dict[str, frozenset[str]] = {
    NEW: frozenset({TRIAGED}),
    TRIAGED: frozenset({ASSIGNED}),
    ASSIGNED: frozenset({IN_PROGRESS}),
    IN_PROGRESS: frozenset({WAITING, RESOLVED}),
    WAITING: frozenset({IN_PROGRESS, RESOLVED}),
    RESOLVED: frozenset({CLOSED, IN_PROGRESS}),
    CLOSED: frozenset(),
}

# Closing reasons. "resolved" closes a resolved case; the others close a case early at
# any open stage (Perban BP2MI 6/2024 art. 30, docs/domain.md "Complaint handling").
RESOLVED_REASON = "resolved"
EARLY_REASONS = (
    "incomplete_30_days",  # data and documents incomplete 30 days after registration
    "no_clarification_15_days",  # no clarification 15 working days after asked
    "unreachable_60_days",  # unreachable 60 consecutive days since last contact
    "handed_over",  # handed to another ministry or agency (monitored)
    "no_response_6_months",  # no response 6 months after told it cannot be resolved
    "withdrawn",  # the worker or reporter withdrew the complaint
)
CLOSING_REASONS = (RESOLVED_REASON, *EARLY_REASONS)


class SkippedStage(ValueError):
    """A move that skips a stage or goes where the workflow does not lead."""

    def __init__(self, current: str, wanted: str):
        super().__init__(f"{current} -> {wanted}")
        self.current = current
        self.wanted = wanted


def allowed(current: str) -> frozenset[str]:
    """Where a case at `current` may move (an early close is `closed` with a reason)."""
    moves = set(MOVES[current])
    if current not in (CLOSED, RESOLVED):
        moves.add(CLOSED)
    return frozenset(moves)


def check_move(current: str, wanted: str, *, closing_reason: str = "") -> None:
    """Raise SkippedStage unless `current -> wanted` is one step of the workflow. An
    early close (from any open stage but resolved) needs an early closing reason."""
    if wanted not in STAGES or wanted == current:
        raise SkippedStage(current, wanted)
    if wanted in MOVES[current]:
        if wanted == CLOSED and closing_reason not in CLOSING_REASONS:
            raise SkippedStage(current, wanted)
        return
    if wanted == CLOSED and current != CLOSED and closing_reason in EARLY_REASONS:
        return
    raise SkippedStage(current, wanted)

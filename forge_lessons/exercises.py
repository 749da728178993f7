"""Exercise self-checks and the stubs that replace solutions in student versions.

An exercise in a lesson is three cells: a markdown prompt, a code cell tagged
``solution`` that assigns the answer to a name (``answer_1 = ...``), and a
check cell calling :func:`check`. The student version replaces each solution
cell by :func:`student_stub`, which sets the same names to ``None``; a check
given ``None`` prints "not attempted yet" and never raises, so the student
notebook still runs top to bottom.
"""

import ast
import math

NOT_ATTEMPTED = "not attempted yet"


class Feedback:
    """The outcome of :func:`check`: ``status`` is ``"correct"``, ``"wrong"`` or ``"not attempted"``.

    It is true only when correct, and shows nothing when it is a cell's last
    value (the feedback has already been printed).
    """

    def __init__(self, status, message):
        self.status = status
        self.message = message

    def __bool__(self):
        return self.status == "correct"

    def __repr__(self):
        return f"Feedback({self.status!r})"

    def _ipython_display_(self):
        """Display nothing: :func:`check` has printed the message."""


def _describe(value):
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _compare(answer, expected, tol):
    """Return None when ``answer`` matches ``expected``, else what is wrong."""
    if isinstance(expected, bool) or isinstance(answer, bool):
        if answer is expected:
            return None
        return f"expected {expected!r}, found {_describe(answer)}"
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        try:
            number = float(answer)
        except (TypeError, ValueError):
            return f"expected a number, found {type(answer).__name__} {_describe(answer)}"
        if math.isclose(number, expected, rel_tol=0, abs_tol=tol):
            return None
        return f"expected about {expected:.3g} (±{tol:g}), found {number:.3g}"
    if isinstance(expected, str):
        if isinstance(answer, str) and answer.strip().lower() == expected.strip().lower():
            return None
        return f"expected a different text than {_describe(answer)}"
    if isinstance(expected, (set, frozenset)):
        try:
            found = set(answer)
        except TypeError:
            return f"expected a collection, found {type(answer).__name__}"
        if found == expected:
            return None
        missing, extra = expected - found, found - expected
        parts = []
        if missing:
            parts.append(f"{len(missing)} missing")
        if extra:
            parts.append(f"{len(extra)} that should not be there: {_describe(sorted(map(str, extra)))}")
        return "; ".join(parts)
    if answer == expected:
        return None
    return f"expected {_describe(expected)}, found {_describe(answer)}"


def check(exercise, answer, *, expected=None, validate=None, hint="", tol=1e-3):
    """Check a learner's answer and print feedback; never raises.

    Parameters
    ----------
    exercise : str
        Short label shown in the feedback, e.g. ``"Exercise 2"``.
    answer : object
        The learner's answer. ``None`` or ``...`` means not attempted.
    expected : object, optional
        The right answer. Numbers are compared within ``tol``, strings
        ignoring case and surrounding space, sets as sets.
    validate : callable, optional
        ``validate(answer)`` returns ``None`` when the answer is right, or a
        sentence saying what is wrong. Used instead of ``expected``.
    hint : str
        Printed after a wrong answer.
    tol : float
        Absolute tolerance for numeric answers.

    Returns
    -------
    Feedback
        Its ``status`` is ``"correct"``, ``"wrong"`` or ``"not attempted"``.
    """
    if answer is None or answer is Ellipsis:
        message = f"⏳ {exercise}: {NOT_ATTEMPTED} — write your answer in the cell above and run both cells."
        print(message)
        return Feedback("not attempted", message)
    if validate is None and expected is None:
        raise ValueError("check() needs either expected= or validate=")
    try:
        problem = validate(answer) if validate is not None else _compare(answer, expected, tol)
    except Exception as error:  # the learner's object may fail in any way
        problem = f"checking your answer raised {type(error).__name__}: {error}"
    if problem is None:
        message = f"✅ {exercise}: correct."
        print(message)
        return Feedback("correct", message)
    message = f"❌ {exercise}: not yet — {problem}."
    if hint:
        message += f"\n   Hint: {hint}"
    print(message)
    return Feedback("wrong", message)


def _collect_names(statements, names):
    """Append the names bound by ``statements`` at module level (not inside functions or classes)."""
    for node in statements:
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor)):
            targets = [node.target]
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            targets = [item.optional_vars for item in node.items if item.optional_vars is not None]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        for target in targets:
            names.extend(sub.id for sub in ast.walk(target) if isinstance(sub, ast.Name))
        for field in ("body", "orelse", "finalbody"):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                _collect_names(getattr(node, field, []), names)
        for handler in getattr(node, "handlers", []):
            _collect_names(handler.body, names)


def student_stub(solution_source):
    """Return the code that replaces a solution cell in the student version.

    Every name the solution binds at module level (assignment, loop or
    ``with`` target, function or class, also inside ``if``/``for``/``with``/``try``
    blocks) is set to ``None``, so the check cell that follows reports
    "not attempted yet". The solution's top-level imports are kept.

    Parameters
    ----------
    solution_source : str
        Source of a cell tagged ``solution``.

    Returns
    -------
    str
    """
    try:
        tree = ast.parse(solution_source)
    except SyntaxError as error:
        raise ValueError(f"solution cell is not valid Python: {error}") from error
    names = []
    _collect_names(tree.body, names)
    imports = [ast.unparse(node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    unique = list(dict.fromkeys(names))
    lines = imports + ["# Your solution here: replace each None below."]
    lines += [f"{name} = None" for name in unique]
    return "\n".join(lines) + "\n"

"""Type stubs of the extension module: the library's front door, converted.

The public API is the package (``backchannel``), which wraps these."""

from os import PathLike
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

class ScenarioError(ValueError):
    """Bad input, with the command line's located diagnostics."""

    #: The file (or ``--set``, or an observations origin) of the first problem.
    file: Optional[str]
    #: 1-based line of the first problem, when it has a place.
    line: Optional[int]
    #: 1-based column of the first problem, when it has a place.
    column: Optional[int]
    #: The dotted key (or setting, such as ``runs``) the first problem is about.
    key: Optional[str]
    #: How to fix the first problem, when there is a suggestion.
    help: Optional[str]
    #: What is wrong with the first problem, and what was expected.
    problem: str
    #: Every problem, as dicts with the keys above.
    diagnostics: List[Dict[str, Any]]

#: Each study's whole-number settings and their ranges:
#: ``LIMITS["run"]["threads"] == (1, 1024)``.
LIMITS: Dict[str, Dict[str, Tuple[int, int]]]

class Scenario:
    @staticmethod
    def load(spec: str) -> Scenario: ...
    @staticmethod
    def load_variant(spec: str) -> Scenario: ...
    @staticmethod
    def from_toml(text: str, origin: str) -> Scenario: ...
    def with_values(self, values: Dict[str, Any]) -> Scenario: ...
    @property
    def values_set(self) -> List[str]: ...
    @property
    def name(self) -> str: ...
    @property
    def display_name(self) -> str: ...
    @property
    def toml(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def default_seed(self) -> int: ...
    @property
    def default_runs(self) -> int: ...
    def judged_inputs(self) -> List[Dict[str, Any]]: ...

def run(
    scenario: Scenario,
    settings: Dict[str, Optional[Union[int, float]]],
    given_path: Optional[str] = None,
    given_toml: Optional[str] = None,
    runs_csv: Optional[Union[str, PathLike[str]]] = None,
    progress: Optional[Callable[[int], Any]] = None,
    out: Optional[Union[str, PathLike[str]]] = None,
) -> Tuple[str, str]: ...
def compare(
    scenarios: List[Scenario],
    settings: Dict[str, Optional[Union[int, float]]],
    given_path: Optional[str] = None,
    given_toml: Optional[str] = None,
    progress: Optional[Callable[[int], Any]] = None,
    out: Optional[Union[str, PathLike[str]]] = None,
) -> Tuple[str, str, str]: ...
def sweep(
    scenario: Scenario,
    varies: List[str],
    settings: Dict[str, Optional[Union[int, float]]],
    progress: Optional[Callable[[int], Any]] = None,
    out: Optional[Union[str, PathLike[str]]] = None,
) -> Tuple[str, str]: ...
def backtest(
    dir: str,
    settings: Dict[str, Optional[Union[int, float]]],
    progress: Optional[Callable[[int], Any]] = None,
    out: Optional[Union[str, PathLike[str]]] = None,
) -> Tuple[str, str, str]: ...
def sensitivity(
    scenario: Scenario,
    varies: List[str],
    method: str,
    samples: Optional[int],
    settings: Dict[str, Optional[Union[int, float]]],
    progress: Optional[Callable[[int], Any]] = None,
    out: Optional[Union[str, PathLike[str]]] = None,
) -> Tuple[str, str, str]: ...
def calibrate(
    path: str,
    settings: Dict[str, Optional[Union[int, float]]],
    runs_per_world: Optional[int] = None,
    min_ess: Optional[int] = None,
    max_generations: Optional[int] = None,
    progress: Optional[Callable[[int], Any]] = None,
    out: Optional[Union[str, PathLike[str]]] = None,
) -> Tuple[str, List[Tuple[str, str]], str]: ...
def discover(
    scenario: Scenario,
    outcome: str,
    ask: Dict[str, Any],
    settings: Dict[str, Optional[Union[int, float]]],
    progress: Optional[Callable[[int], Any]] = None,
    out: Optional[Union[str, PathLike[str]]] = None,
) -> Tuple[str, str, str, str, str]: ...
def trace(
    scenario: Scenario,
    run: int,
    settings: Dict[str, Optional[Union[int, float]]],
    given_path: Optional[str] = None,
    given_toml: Optional[str] = None,
    progress: Optional[Callable[[int], Any]] = None,
) -> Tuple[List[str], List[str]]: ...

"""Errors raised by the pure domain."""


class DomainError(Exception):
    """Base class for every error the domain raises on purpose."""


class DefinitionError(DomainError):
    """An instrument definition is invalid; ``problems`` lists every defect found."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


class InvalidAnswer(DomainError):
    """An answer does not fit the item or scenario it is given for."""


class InvalidTransition(DomainError):
    """A lifecycle event is not allowed in the current state."""

    def __init__(self, state: object, event: object):
        self.state = state
        self.event = event
        super().__init__(f"{event} is not allowed when {state}")

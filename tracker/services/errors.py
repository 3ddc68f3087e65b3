"""Errors a service raises; the web layer and the CLI render them for the reader.

Each carries a catalogue key and parameters (``tracker.domain.messages``):
``raise NotFound("project.not_found", code=code)``. ``str(exc)`` is the Chinese text.
"""

from tracker.domain.messages import KeyedError


class ServiceError(KeyedError):
    """Base: a refusal the user can act on."""


class PermissionDenied(ServiceError):
    pass


class NotFound(ServiceError):
    pass


class ConflictError(ServiceError):
    """The record changed since the user loaded it (stale version)."""


class InvalidInput(ServiceError):
    pass

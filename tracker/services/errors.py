"""Errors a service raises; the web layer and the CLI turn them into messages."""


class ServiceError(Exception):
    """Base: the message is for the user (plain Chinese)."""


class PermissionDenied(ServiceError):
    pass


class NotFound(ServiceError):
    pass


class ConflictError(ServiceError):
    """The record changed since the user loaded it (stale version)."""


class InvalidInput(ServiceError):
    pass

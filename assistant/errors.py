"""Errors a person can act on. Front-ends (CLI, UI) catch AssistantError and show its message."""


class AssistantError(Exception):
    """Base class: the message is meant for the user, not a traceback."""


class LoadError(AssistantError):
    """A file could not be read as a document (wrong type, damaged, encrypted, no text)."""


class EncryptedPdfError(LoadError):
    pass


class NoTextLayerError(LoadError):
    pass


class StoreError(AssistantError):
    """The index folder is missing, damaged or does not match the documents."""


class NotFoundError(AssistantError):
    """A document id that is not in the index."""


class ModelError(AssistantError):
    """The embedding model could not be loaded or prepared."""

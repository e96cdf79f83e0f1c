"""Domain errors that services raise and the app turns into HTTP responses (see ``create_app``)."""


class NotFound(LookupError):
    """What was asked for does not exist, or belongs to someone else: shown as a 404 that gives
    no hint which of the two it was."""


class Conflict(Exception):
    """The request clashes with the current state (something already submitted, say): shown as a
    409 page; a subclass may carry a ``friendly_message`` to show instead of the generic one."""


class NotConfigured(RuntimeError):
    """ELEARN_PUBLIC_BASE_URL is unset in production: nothing that names a public URL (a
    certificate, its verify link, an invite link) can be made; shown as a plain 503."""

"""The one error a rule of the domain raises: a message for the user (already translated) and
a code for callers and tests. Each module's own error is a subclass, so a view can catch
`DomainError` whichever service refused."""


class DomainError(Exception):
    def __init__(self, message, code):
        super().__init__(message)
        self.message = message
        self.code = code

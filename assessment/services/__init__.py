"""Every write of the assessment module that has a rule, by concept: checklists, rounds,
spot checks, rectifications. Views, importers, commands, seed_demo and tests call these."""


class AssessmentError(Exception):
    def __init__(self, message, code):
        super().__init__(message)
        self.message = message
        self.code = code

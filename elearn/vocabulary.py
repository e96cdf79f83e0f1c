"""The fixed word lists the whole app shares (no Flask here): the models, the forms, the ``elearn``
command and the content loader all take them from this module."""

#: what an account may do; stored in ``users.role``
ROLES = ("learner", "trainer", "admin")
#: where a learner works; stored in ``users.sector`` and used by the referral map's audiences
SECTORS = ("drughulp", "seksuele-gezondheid", "jeugd-welzijn", "andere")
#: who a module is written for: every sector but "andere", or everyone
AUDIENCES = (*(s for s in SECTORS if s != "andere"), "iedereen")

"""The five-year outlook pages (book/outlook), one module a page: `activity`, `finance`, `workforce`, `estates`.

Each page draws on the edition's projection in `analysis.report.projected`.
"""

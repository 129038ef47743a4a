"""A clinical pathway chapter (book/pathways/<pathway>, from one template), one module a group of sections.

`plans`, `measures`, `practices`, `benchmarks` and `money_and_staff`.
"""

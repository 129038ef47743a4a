"""The report layer: what each page of the book shows, one module per chapter or section.

Templates (book/templates, written by tools/make_templates.py) call these functions and nothing else.

Page                                      Module
----------------------------------------  ------------------------------------------------------------
Introduction                              introduction
Executive summary                         summary
The local health economy                  economy
A pathway chapter (one template)          pathway.plans        key messages, plans, investment, deliverables
                                          pathway.measures     KPIs: at a glance, SPC charts, what to watch
                                          pathway.practices    activity by point of delivery, practice funnels
                                          pathway.benchmarks   England and peers, members against non-members
                                          pathway.money_and_staff   the pathway's own money and staff to the horizon
                                          outlook.activity     its trajectory and the plan against what happened
Five-year outlook: activity               outlook.activity
Five-year outlook: finance                outlook.finance
Five-year outlook: workforce              outlook.workforce
Five-year outlook: estates (beds)         outlook.estates
Value                                     value.spend, value.variation, value.productivity, value.elements
                                          (value.content: the chapter's written content)
Priorities                                priorities
Data sources and quality (appendix)       quality
Analysts' live controls (not in the book) live

Shared by many pages:

- common     loading an edition, source lines and notices, the economy's organisations, disclosure control
- wording    numbers, money, periods and lists of names in words; point-of-delivery labels
- projected  the edition's projection (kept with the catalog), the plan's assumptions, the model's source line
- kpis       a pathway's KPI series and each indicator's plain-English name

Fiscal-year labels ("2007/08") come from `analysis.model.fiscal.fy_label`, defined there only.
"""

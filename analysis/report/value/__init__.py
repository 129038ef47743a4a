"""The value chapter (book/value/value), one module a section.

`content` (its written content), `spend` (what value means; spend against outcome), `variation` (unwarranted variation
and the headline), `productivity` (the productivity challenge) and `elements` (three elements of value).

What each comparison is, because the synthetic (and most real) finance tables hold spend by
programme only for the economy's own commissioners, not for England or peers:

- spend against outcome: each commissioner's spend per resident on a programme, against the
  economy's average for that programme (population-weighted, so the two commissioners sit either
  side of it), and the programme's headline outcome against England;
- unwarranted variation: each practice's activity per registered patient against the mean of the
  best five of its ten most similar practices (same commissioner, closest deprivation score), and
  each commissioner's indicators against the best five of its ten peer areas (RightCare style).
"""

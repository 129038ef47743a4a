"""The data layer: Ibis expressions over an embedded engine (DuckDB by default, Spark on request).

engine (connections), episodes (reading an episode-level extract), lookup (the pathway lookup),
activity (episodes -> the monthly activity table, and filling missing months).
"""

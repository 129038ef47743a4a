"""Adapters: each reads one published file format as it is, checks it, and returns a contract table.

mar (Monthly Activity Return -> activity), fingertips and fingertips_long (-> indicators), ons
(-> population), kh03 (-> beds), hchs (-> workforce), practices (-> practices); registry names them
for the parameter file; source holds what they share (header check, row numbers, rejected rows).
"""

"""Showing the figures: Vietnamese formats, tables, charts, narrative, the overview and the
report's files. Every function takes frames or figures and returns something a notebook
displays (Markdown, a chart) or writes; nothing here computes a figure of its own.
"""

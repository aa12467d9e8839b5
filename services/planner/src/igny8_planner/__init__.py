"""Planner: keywords, clusters and content ideas (filled by the planner issue)."""

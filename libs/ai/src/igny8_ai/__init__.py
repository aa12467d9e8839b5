"""The AI engine every AI function runs through (shared by planner and writer)."""

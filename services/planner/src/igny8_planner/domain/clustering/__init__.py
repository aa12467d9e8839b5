"""Keyword clustering that runs locally: no network, no AI credits, no number of clusters."""

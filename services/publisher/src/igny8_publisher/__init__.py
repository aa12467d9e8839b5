"""Publisher: WordPress integrations and publishing (filled by the publisher issue)."""

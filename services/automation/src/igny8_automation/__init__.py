"""The automation service: the hands-off pipeline as a process manager on the bus."""

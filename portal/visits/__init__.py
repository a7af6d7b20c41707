"""Pre-visit lists and the agents' field work."""

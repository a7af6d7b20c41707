"""Models of the campaigns domain."""

"""Demo data for trying the portal out."""

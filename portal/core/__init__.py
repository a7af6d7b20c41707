"""The shared web machinery: rendering, errors, security headers, uploads, tabular files, static files."""

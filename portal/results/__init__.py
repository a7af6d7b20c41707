"""Attendance, sign-ups and event results."""

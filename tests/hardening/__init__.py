"""Hardening: fuzzing, crash and disk-full tests, bad files, privacy."""

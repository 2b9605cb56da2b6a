"""Interchange formats: how a consultation leaves the app for other systems (FHIR R4).

An adapter over the domain, never part of it: the domain does not import this package
(an import-linter contract says so), and it needs no Qt and no reportlab.
"""

"""Storage: the files the app keeps and writes, safely.

* :mod:`~decision_aid.storage.atomic`: the one all-or-nothing writer, used for every file
  the app writes (consultations, autosaves, keys, the audit trail, preferences, sheets,
  exports, docs, schemas).
* :mod:`~decision_aid.storage.consultation_file`: a consultation on disk, under one size
  limit for the writer and the reader.
* :mod:`~decision_aid.storage.autosave`: one autosave per open consultation, each held by
  a lock (:mod:`~decision_aid.storage.locks`).
* :mod:`~decision_aid.storage.data_folder`: the per-user data folder.
* :mod:`~decision_aid.storage.reading`: reading an untrusted file without blocking, past a
  limit or through a link.

It imports only the domain (an import-linter contract keeps it so); the window, the CLI
and governance save through it.
"""

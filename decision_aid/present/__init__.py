"""Wordings and marks that more than one surface shows (the window, the sheet, the command
line), in one place. No Qt and no reportlab, so every surface can import it."""

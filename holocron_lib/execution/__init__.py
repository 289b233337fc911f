"""Executing notebooks: what every kernel is given, for the book and for recorded runs alike."""

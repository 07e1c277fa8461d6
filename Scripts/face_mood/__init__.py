"""Training, calibration, export and evaluation of moosic's face-mood model (P(happy) from a face crop)."""

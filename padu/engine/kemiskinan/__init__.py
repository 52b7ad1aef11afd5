"""Small-area poverty estimates (ELL/EBP-style) from a PMT and a survey (no Django)."""

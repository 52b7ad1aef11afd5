"""BLT-DD pages: reads through selectors, writes through services."""

"""The statistics engine: SPC, funnel plots, benchmarking, inequality and disclosure control."""

"""leadflow: the worker fleet (ingest workers, sequencer, operator CLI and runtime)."""

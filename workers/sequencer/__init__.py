"""The sequencer: durable lead state in PostgreSQL, send timing and exactly-once output."""

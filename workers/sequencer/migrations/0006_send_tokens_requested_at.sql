-- send_tokens retention: the pruner (workers/sequencer/maintenance.py) deletes the oldest rows
-- past send_tokens_keep_days, a chunk at a time, in requested_at order. Without this index each
-- chunk sorted a sequential scan of the whole table (0.7 s per chunk at 500,000 rows, and the
-- same for the idle check every 10 minutes); with it a chunk of 5,000 takes about 10 ms and the
-- idle check reads one index page. requested_at grows with time: the index appends at its end.
CREATE INDEX send_tokens_requested_at ON send_tokens (requested_at);

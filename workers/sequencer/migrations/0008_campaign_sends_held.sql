-- A campaign change that stops a running campaign from sending (pause, back to draft, deletion)
-- first commits this mark on its own, then fans out to the leads in one long transaction (about a
-- minute for a million leads). The timers read a held campaign as paused: the change holds, and no
-- email is requested for its leads, from this mark's commit on, not from the fan-out's. Saving the
-- campaign's new settings (the end of the fan-out) clears the mark.
ALTER TABLE campaigns ADD COLUMN sends_held_at timestamptz;

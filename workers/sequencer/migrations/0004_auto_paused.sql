-- v2: a pause that came from automation (with resume_at: an out-of-office pause) still reacts
-- to automation; the flag tells it from a manual `lead pause --until`.
ALTER TABLE leads ADD COLUMN auto_paused boolean NOT NULL DEFAULT false;

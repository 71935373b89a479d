-- v2: the do-not-contact list, mirrored from the compacted suppressions topic (and written by the
-- sequencer itself when it applies an unsubscribe, bounce or complaint). One row per lead_id:
-- the latest record for that person, a suppression or its lifting (the later `at` wins; a
-- lifting's `at` is its Kafka record's timestamp). A lifted row is kept, so an older suppression
-- that arrives after its lifting loses. See docs/architecture.md ("Suppression").
-- (Numbered 0003: 0002 is the send tokens' migration; the runner applies whatever is missing.)
CREATE TABLE suppressions (
    lead_id    text        PRIMARY KEY,
    -- unsubscribe | bounce | complaint | manual; NULL for a lifting of a person never suppressed
    reason     text,
    event_id   text,
    note       text,
    -- the record in force: the Suppression's `at`, or the lifting's record timestamp
    at         timestamptz NOT NULL,
    lifted     boolean     NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (lifted OR reason IS NOT NULL)
);
CREATE INDEX suppressions_active ON suppressions (reason, lead_id) WHERE NOT lifted;

-- A person's leads in every campaign (the primary key leads with campaign_id).
CREATE INDEX leads_lead_id ON leads (lead_id);

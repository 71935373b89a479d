-- Tracking tokens (v2): the send each token's ref names. Written by the sequencer in the same
-- transaction as the send (outbox row); read by primary key by the ingest workers and the
-- gateway to resolve an event that carries only a tracking token or a leadflow Message-ID.
-- ref = the 12 bytes the token carries after its version character (workers/core/tokens.py);
-- a row is never updated.
CREATE TABLE send_tokens (
    ref          bytea       PRIMARY KEY CHECK (octet_length(ref) = 12),
    campaign_id  text        NOT NULL,
    lead_id      text        NOT NULL,
    step         integer     NOT NULL CHECK (step >= 1),
    requested_at timestamptz NOT NULL
);

-- The sequencer's state. See docs/architecture.md for how the tables work together.

-- Campaign settings mirrored from the compacted campaigns topic (the scheduler reads them).
CREATE TABLE campaigns (
    campaign_id text PRIMARY KEY,
    version     bigint      NOT NULL,
    launched    boolean     NOT NULL,
    deleted     boolean     NOT NULL DEFAULT false,
    settings    jsonb,
    updated_at  timestamptz NOT NULL
);

-- One row per lead: the state machine's LeadState plus the scheduler's wake-up time.
CREATE TABLE leads (
    campaign_id    text             NOT NULL,
    lead_id        text             NOT NULL,
    status         text             NOT NULL,
    next_step      integer          NOT NULL,
    due_at         timestamptz,
    remaining_s    double precision,
    resume_at      timestamptz,
    reason         text             NOT NULL,
    last_manual_at timestamptz,
    version        bigint           NOT NULL,
    updated_at     timestamptz      NOT NULL,
    wake_at        timestamptz,
    PRIMARY KEY (campaign_id, lead_id)
);
CREATE INDEX leads_wake_at ON leads (wake_at) WHERE wake_at IS NOT NULL;
CREATE INDEX leads_status ON leads (status, campaign_id);

-- Processed command ids: the same command_id twice has one effect.
CREATE TABLE inbox (
    command_id   text        PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inbox_processed_at ON inbox (processed_at);

-- The next offset to consume per input partition, written in the same transaction as the state.
CREATE TABLE consumer_offsets (
    topic       text    NOT NULL,
    partition   integer NOT NULL,
    next_offset bigint  NOT NULL,
    PRIMARY KEY (topic, partition)
);

-- Output waiting for the relay; seq is gap-free and follows commit order (see outbox_sequence).
CREATE TABLE outbox (
    seq        bigint      PRIMARY KEY,
    topic      text        NOT NULL,
    key        text        NOT NULL,
    value      bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- One row: the last seq handed out (its row lock orders writers) and the relay's lease.
CREATE TABLE outbox_sequence (
    id           boolean     PRIMARY KEY DEFAULT true CHECK (id),
    last_seq     bigint      NOT NULL DEFAULT 0,
    relayed_seq  bigint      NOT NULL DEFAULT 0,
    relay_owner  text,
    lease_until  timestamptz,
    lease_epoch  bigint      NOT NULL DEFAULT 0
);
INSERT INTO outbox_sequence DEFAULT VALUES;

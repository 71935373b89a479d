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

-- Every send_id ever requested: the last guard against requesting a step twice.
CREATE TABLE send_log (
    send_id      text        PRIMARY KEY,
    requested_at timestamptz NOT NULL
);

-- Output waiting for the relay. seq is gap-free and follows commit order: a writer takes it from
-- outbox_sequence at the end of its transaction, and that row's lock is held until commit.
CREATE TABLE outbox (
    seq        bigint      PRIMARY KEY,
    topic      text        NOT NULL,
    key        text,
    value      bytea,
    headers    jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE outbox_sequence (
    id       boolean PRIMARY KEY DEFAULT true CHECK (id),
    last_seq bigint  NOT NULL DEFAULT 0
);
INSERT INTO outbox_sequence DEFAULT VALUES;

-- The relay's lease (one relay publishes at a time) and how far it has published (advisory:
-- the truth is the progress record in Kafka, committed in the same transaction as the output).
CREATE TABLE relay_state (
    id          boolean     PRIMARY KEY DEFAULT true CHECK (id),
    owner       text,
    lease_until timestamptz,
    epoch       bigint      NOT NULL DEFAULT 0,
    relayed_seq bigint      NOT NULL DEFAULT 0
);
INSERT INTO relay_state DEFAULT VALUES;

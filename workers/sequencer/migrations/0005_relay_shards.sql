-- v2: the outbox is split into relay shards by the record key's hash (a lead's records always
-- land in one shard). Each shard has its own gap-free sequence (outbox_shards.last_seq, taken in
-- shard order at the end of a writing transaction, so sequence order is commit order per shard)
-- and its own relay: whoever holds the shard's session advisory lock, with an epoch that grows at
-- each hand-over (relay_shards). Shard 0 continues the single relay's sequence and position.
ALTER TABLE outbox ADD COLUMN shard smallint NOT NULL DEFAULT 0;
ALTER TABLE outbox DROP CONSTRAINT outbox_pkey;
ALTER TABLE outbox ADD PRIMARY KEY (shard, seq);

CREATE TABLE outbox_shards (
    shard    smallint PRIMARY KEY CHECK (shard >= 0),
    last_seq bigint   NOT NULL DEFAULT 0
);
INSERT INTO outbox_shards (shard, last_seq) SELECT 0, last_seq FROM outbox_sequence;

CREATE TABLE relay_shards (
    shard       smallint    PRIMARY KEY CHECK (shard >= 0),
    owner       text,
    epoch       bigint      NOT NULL DEFAULT 0,
    relayed_seq bigint      NOT NULL DEFAULT 0,
    since       timestamptz
);
INSERT INTO relay_shards (shard, epoch, relayed_seq) SELECT 0, epoch, relayed_seq FROM relay_state;

DROP TABLE outbox_sequence;
DROP TABLE relay_state;

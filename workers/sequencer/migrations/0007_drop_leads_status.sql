-- leads_status (status, campaign_id) served no query: `leads list` filters by status with
-- `($2 IS NULL OR status = $2)` under the primary key's order, and the sequencer reaches leads by
-- key, by wake-up time or by lead_id. It only cost: every change of status (a campaign's launch,
-- pause or deletion changes a million) inserted into it, and it held ~40 bytes per lead.
DROP INDEX IF EXISTS leads_status;

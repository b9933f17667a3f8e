-- Aegis Gateway API keys, schema version 2: hourly usage per key, route and API version; the
-- audit trail of key changes; store metadata (the fingerprint of the pepper the hashes were made with).
CREATE TABLE ${schema}aegis_api_key_usage (
    key_id       VARCHAR(64)  NOT NULL,
    period_start TIMESTAMPTZ  NOT NULL,
    route        VARCHAR(300) NOT NULL,
    version      VARCHAR(64)  NOT NULL,
    requests     BIGINT       NOT NULL,
    errors       BIGINT       NOT NULL,
    last_used_at TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (key_id, period_start, route, version)
);
CREATE TABLE ${schema}aegis_api_key_audit (
    seq     BIGSERIAL    PRIMARY KEY,
    key_id  VARCHAR(64)  NOT NULL,
    action  VARCHAR(32)  NOT NULL,
    actor   VARCHAR(200) NOT NULL,
    at      TIMESTAMPTZ  NOT NULL,
    detail  TEXT         NOT NULL
);
CREATE INDEX aegis_api_key_audit_key ON ${schema}aegis_api_key_audit (key_id, seq);
CREATE TABLE ${schema}aegis_api_key_meta (
    name  VARCHAR(64) PRIMARY KEY,
    value TEXT        NOT NULL
);

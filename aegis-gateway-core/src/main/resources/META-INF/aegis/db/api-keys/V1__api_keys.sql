-- Aegis Gateway API keys, schema version 1: the keys. Only HMAC-SHA-256 hashes of the secrets
-- are stored, never the secrets. ${schema} is replaced by the configured schema ("name.") or by
-- nothing. Applied by JdbcApiKeyStore.migrate(); see docs/api-keys.md.
CREATE TABLE ${schema}aegis_api_keys (
    id           VARCHAR(64)  PRIMARY KEY,
    key_hash     BYTEA        NOT NULL,
    environment  VARCHAR(8)   NOT NULL,
    name         VARCHAR(200),
    owner        VARCHAR(200) NOT NULL,
    tenant       VARCHAR(200),
    tier         VARCHAR(16)  NOT NULL,
    scopes       TEXT         NOT NULL,
    hint         VARCHAR(32)  NOT NULL,
    status       VARCHAR(16)  NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL,
    expires_at   TIMESTAMPTZ,
    grace_until  TIMESTAMPTZ,
    replaced_by  VARCHAR(64),
    revoked_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    CONSTRAINT aegis_api_keys_hash_unique UNIQUE (key_hash),
    CONSTRAINT aegis_api_keys_status_check CHECK (status IN ('ACTIVE', 'ROTATED', 'REVOKED'))
);
CREATE INDEX aegis_api_keys_owner ON ${schema}aegis_api_keys (owner, created_at);
CREATE INDEX aegis_api_keys_tenant ON ${schema}aegis_api_keys (tenant, created_at);

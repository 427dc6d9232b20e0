-- Granary's content-addressed blobs: droplets and uploaded packages, where every node can fetch them.
-- A blob is named by the SHA-256 of its bytes and stored as ordered chunks, so neither writer nor reader
-- holds a whole droplet in memory. The blob row is written last, in the same transaction as its chunks:
-- a reader that finds the row finds every chunk.

CREATE TABLE IF NOT EXISTS granary_blobs
(
    kind        varchar(16)  NOT NULL,
    sha256      char(64)     NOT NULL,
    size_bytes  bigint       NOT NULL CHECK (size_bytes >= 0),
    chunk_count integer      NOT NULL CHECK (chunk_count >= 0),
    -- What the content is beyond its bytes, e.g. a package's archive format ("zip" or "tgz").
    extension   varchar(16)  NULL,
    created_at  timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT pk_granary_blobs PRIMARY KEY (kind, sha256),
    CONSTRAINT ck_granary_blobs_sha256 CHECK (sha256 ~ '^[0-9a-f]{64}$')
);

CREATE TABLE IF NOT EXISTS granary_blob_chunks
(
    kind        varchar(16)  NOT NULL,
    sha256      char(64)     NOT NULL,
    chunk_index integer      NOT NULL CHECK (chunk_index >= 0),
    data        bytea        NOT NULL,
    CONSTRAINT pk_granary_blob_chunks PRIMARY KEY (kind, sha256, chunk_index)
);

-- Chunks are already compressed archives: skip TOAST's pointless compression attempt.
ALTER TABLE granary_blob_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

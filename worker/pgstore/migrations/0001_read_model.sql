-- The read model's first version. Run with search_path set to the target schema, so the
-- same file builds the live schema and a rebuild's staging schema.

-- One row per article: its latest version. Written only by an event with a higher version
-- (INSERT ... ON CONFLICT ... WHERE excluded.version > articles.version), so redeliveries and
-- out-of-order events leave it as the newest event made it.
CREATE TABLE articles (
    article_id         text PRIMARY KEY,
    version            integer NOT NULL CHECK (version >= 1),
    event_id           text NOT NULL,
    entry_id           text NOT NULL,
    title              text NOT NULL,
    body               text NOT NULL,
    lede               text,
    url                text,
    site_name          text,
    source_kind        text NOT NULL,
    source_location    text NOT NULL,
    language           text,
    authors            text[] NOT NULL DEFAULT '{}',
    tags               text[] NOT NULL DEFAULT '{}',
    published_at       timestamptz,
    updated_at         timestamptz,
    ingested_at        timestamptz NOT NULL,
    word_count         integer NOT NULL DEFAULT 0,
    content_hash       text NOT NULL,
    -- The text-search configuration of the article's language ('simple' when unknown or
    -- not one PostgreSQL stems): a regconfig column keeps the generated column immutable.
    ts_config          regconfig NOT NULL DEFAULT 'simple',
    search             tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector(ts_config, title), 'A')
        || setweight(to_tsvector(ts_config, coalesce(lede, '')), 'B')
        || setweight(to_tsvector(ts_config, body), 'C')) STORED
);
CREATE INDEX articles_search_idx ON articles USING gin (search);
CREATE INDEX articles_published_idx ON articles (published_at DESC NULLS LAST);
CREATE INDEX articles_language_idx ON articles (language);

-- Every version of every article, once: the key (article_id, version) makes a repeat a no-op.
CREATE TABLE article_versions (
    article_id         text NOT NULL,
    version            integer NOT NULL,
    event_id           text NOT NULL UNIQUE,
    entry_id           text NOT NULL,
    event_type         text NOT NULL,
    occurred_at        timestamptz NOT NULL,
    title              text NOT NULL,
    lede               text,
    body               text NOT NULL,
    content_hash       text NOT NULL,
    PRIMARY KEY (article_id, version)
);

-- How far each consumer group got, written in the same transaction as the rows above
-- (the eventsourcing library's "tracking" table): the position never moves back.
CREATE TABLE tracking (
    group_name         text PRIMARY KEY,
    position           text NOT NULL,
    position_ms        bigint NOT NULL,
    position_seq       bigint NOT NULL,
    updated_at         timestamptz NOT NULL DEFAULT now()
);

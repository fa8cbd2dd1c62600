-- Failed storefront logins per storefront and key, to slow password guessing (LoginThrottle). The
-- key is stored only as a keyed hash; rows of keys that have not failed for a day are pruned.
create table storefront_login_failures (
    storefront_id   text        not null,
    key_fingerprint text        not null,
    failures        int         not null,
    last_failure_at timestamptz not null,
    primary key (storefront_id, key_fingerprint)
);
create index storefront_login_failures_time on storefront_login_failures (last_failure_at);

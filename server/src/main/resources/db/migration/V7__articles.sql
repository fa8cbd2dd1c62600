-- The shop's catalogue, imported from its product data export (POST /admin/articles).
create table articles (
    sku           text        primary key,
    name          text,
    brand         text,
    article_group text,
    category      text,
    updated_at    timestamptz not null
);

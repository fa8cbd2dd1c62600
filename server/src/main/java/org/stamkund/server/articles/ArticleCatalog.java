package org.stamkund.server.articles;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** The imported articles: written in batches by an import, read by sku. */
@Service
public class ArticleCatalog {

  private final JdbcClient jdbc;
  private final Clock clock;

  ArticleCatalog(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** The articles with these skus, by sku; skus not in the catalogue are absent. */
  public Map<String, Article> bySku(Collection<String> skus) {
    Map<String, Article> found = new HashMap<>();
    if (skus.isEmpty()) {
      return found;
    }
    jdbc.sql("select sku, name, brand, article_group, category from articles where sku = any(?)")
        .param(skus.stream().distinct().toArray(String[]::new))
        .query(
            (rs, n) ->
                new Article(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5)))
        .list()
        .forEach(a -> found.put(a.sku(), a));
    return found;
  }

  /** Creates or replaces these articles (one statement); call inside the import's transaction. */
  void upsert(List<Article> batch) {
    if (batch.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            insert into articles (sku, name, brand, article_group, category, updated_at)
            select a.sku, a.name, a.brand, a.article_group, a.category, ?
            from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                 as a(sku, name, brand, article_group, category)
            on conflict (sku) do update set name = excluded.name, brand = excluded.brand,
                article_group = excluded.article_group, category = excluded.category,
                updated_at = excluded.updated_at
            """)
        .params(
            Timestamp.from(clock.instant()),
            batch.stream().map(Article::sku).toArray(String[]::new),
            batch.stream().map(Article::name).toArray(String[]::new),
            batch.stream().map(Article::brand).toArray(String[]::new),
            batch.stream().map(Article::articleGroup).toArray(String[]::new),
            batch.stream().map(Article::category).toArray(String[]::new))
        .update();
  }

  /** How many articles the catalogue holds. */
  public long count() {
    return jdbc.sql("select count(*) from articles").query(Long.class).single();
  }
}

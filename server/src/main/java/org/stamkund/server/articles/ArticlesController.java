package org.stamkund.server.articles;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.stamkund.server.platform.ApiException;

/** {@code POST /admin/articles}: the shop's product data export, as XML or CSV. */
@RestController
@Tag(name = "Articles")
class ArticlesController {

  private final ArticleImport imports;
  private final ArticleCatalog catalog;

  ArticlesController(ArticleImport imports, ArticleCatalog catalog) {
    this.imports = imports;
    this.catalog = catalog;
  }

  @PostMapping("/admin/articles")
  @Operation(
      summary = "Import the product data export (application/xml or text/csv)",
      description =
          "Creates or replaces articles by sku, read as a stream in one transaction. Rows that are"
              + " wrong on their own are reported and skipped; a malformed document writes nothing.")
  Map<String, Object> importArticles(HttpServletRequest request) throws IOException {
    String type = request.getContentType();
    String lower = type == null ? "" : type.toLowerCase(Locale.ROOT);
    ArticleImport.Result result;
    try (InputStream body = request.getInputStream()) {
      if (lower.startsWith("application/xml") || lower.startsWith("text/xml")) {
        result = imports.importXml(body);
      } else if (lower.startsWith("text/csv")) {
        result = imports.importCsv(body);
      } else {
        throw new ApiException(
            HttpStatus.UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaType",
            "Content-Type: send application/xml or text/csv",
            Map.of("field", "Content-Type"));
      }
    }
    return Map.of(
        "imported", result.imported(),
        "failed", result.failed(),
        "errors", result.errors(),
        "articles", catalog.count());
  }

  @GetMapping("/admin/articles/count")
  @Operation(summary = "How many articles the catalogue holds")
  long count() {
    return catalog.count();
  }
}

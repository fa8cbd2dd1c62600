package org.stamkund.server.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stamkund.server.TestDatabase;

/**
 * A receipt's statements on a new installation: its tables empty when last analysed, as they are
 * when the first receipts arrive. The generic plans a lane keeps for its connection's lifetime must
 * use the indexes, or they scan whole tables once the tables have grown.
 */
class ReceiptPlansIntegrationTests {

  private static final String DATABASE = "receipt_plans_" + ProcessHandle.current().pid();

  private static String url = "";

  @BeforeAll
  static void newInstallation() throws SQLException {
    try (Connection c = DriverManager.getConnection(TestDatabase.jdbcUrl());
        Statement s = c.createStatement()) {
      s.execute("drop database if exists " + DATABASE);
      s.execute("create database " + DATABASE);
    }
    url = TestDatabase.jdbcUrl().replace("/postgres?", "/" + DATABASE + "?");
    Flyway.configure()
        .dataSource(url, "postgres", "postgres")
        .locations("classpath:db/migration")
        .load()
        .migrate();
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("analyze");
    }
  }

  @AfterAll
  static void dropIt() throws SQLException {
    try (Connection c = DriverManager.getConnection(TestDatabase.jdbcUrl());
        Statement s = c.createStatement()) {
      s.execute("drop database if exists " + DATABASE + " with (force)");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // the spending statement's totals
        "update point_accounts set total = total + 1 where contact_id = any($1::uuid[])",
        // the points drawn from older lots
        "update point_lots set remaining = remaining - 1 where movement_id = any($1::bigint[])",
        // the purchases a round's returns may take back
        """
        select contact_id, sku, receipt_id, line_index, quantity, returned_quantity, points,
               points_taken_back, group_amount, created_date
        from receipt_lines
        where contact_id = any($1::uuid[]) and sku = any($2::text[]) and type = 'PURCHASE'
          and returned_quantity < quantity
        for update
        """,
        // what the returns took back of those lines
        """
        update receipt_lines l
        set returned_quantity = l.returned_quantity + u.quantity,
            points_taken_back = l.points_taken_back + u.points
        from unnest($1::uuid[], $2::int[], $3::numeric[], $4::bigint[])
             as u(receipt_id, line_index, quantity, points)
        where l.receipt_id = u.receipt_id and l.line_index = u.line_index
          and l.receipt_id = any($5::uuid[])
        """,
        // and of their receipts
        """
        update receipts r
        set points_returned = r.points_returned + u.points,
            amount_returned = r.amount_returned + u.amount
        from unnest($1::uuid[], $2::bigint[], $3::numeric[]) as u(id, points, amount)
        where r.id = u.id and r.id = any($4::uuid[])
        """,
        // the receipts returned in full
        """
        select receipt_id from receipt_lines where receipt_id = any($1::uuid[])
        group by receipt_id
        having count(*) filter (where type = 'PURCHASE' and returned_quantity < quantity) = 0
        """,
        // the standings a round reads before it applies
        """
        select c.id, (select total from point_accounts where contact_id = c.id), s.pending, s.due
        from unnest($1::uuid[]) as c(id)
        cross join lateral (
          select coalesce(sum(l.remaining) filter (where l.valid_from > $2::timestamptz), 0),
                 coalesce(sum(l.remaining) filter (where l.expires_at <= $3::timestamptz), 0)
          from point_lots l where l.contact_id = c.id and l.remaining > 0) s(pending, due)
        """,
        // a voucher a receipt redeems by its number
        """
        update vouchers set redeemed_at = $1, redeemed_receipt_id = $2
        where check_number = $3 and contact_id = $4 and redeemed_at is null
          and expires_on > $5
        returning *
        """,
        // or links to it, when its member redeemed it through the API first
        """
        update vouchers set redeemed_receipt_id = $1
        where check_number = $2 and contact_id = $3 and redeemed_at is not null
          and redeemed_receipt_id is null
        """,
        // the lots a spending draws from
        """
        select l.contact_id, l.movement_id, l.remaining, l.expires_at, l.earned_at,
               (select m.receipt_id from point_movements m where m.id = l.movement_id),
               l.valid_from
        from point_lots l
        where l.contact_id = any($1::uuid[]) and l.remaining > 0
        """
      })
  void aLanesStatementsUseTheIndexesOfTablesAnalysedEmpty(String statement) throws SQLException {
    try (Connection c = DriverManager.getConnection(url + "&preferQueryMode=simple")) {
      c.setAutoCommit(false);
      // Any other transaction plans a sequential scan: the table was empty.
      assertThat(genericPlan(c, statement)).contains("Seq Scan");
      c.rollback();
      try (PreparedStatement opening = c.prepareStatement(ReceiptManagement.OPENING)) {
        opening.setArray(1, c.createArrayOf("text", new String[] {"ExternalId:1"}));
        opening.executeQuery().close();
      }
      String plan = genericPlan(c, statement);
      assertThat(plan).doesNotContain("Seq Scan").contains("Index");
      // An index read whole in its order, filtering each entry, is a sequential scan by another
      // name: every index the plan reads, it searches.
      List<String> lines = plan.lines().toList();
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains("Index Scan using")
            || lines.get(i).contains("Index Only Scan using")) {
          assertThat(i + 1 < lines.size() ? lines.get(i + 1) : "")
              .as("the line after %s in%n%s", lines.get(i).strip(), plan)
              .contains("Index Cond");
        }
      }
      c.rollback();
    }
  }

  private static String genericPlan(Connection c, String statement) throws SQLException {
    StringBuilder plan = new StringBuilder();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("explain (generic_plan) " + statement)) {
      while (rs.next()) {
        plan.append(rs.getString(1)).append('\n');
      }
    }
    return plan.toString();
  }
}

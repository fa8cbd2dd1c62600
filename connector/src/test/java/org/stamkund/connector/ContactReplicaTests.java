package org.stamkund.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContactReplicaTests {

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock();
  private final StubEngine engine;
  private final List<String[]> feed = new CopyOnWriteArrayList<>();
  private final Map<String, String> contacts = new ConcurrentHashMap<>();

  ContactReplicaTests() throws Exception {
    engine = new StubEngine();
    engine.on(
        "GET /api/v2/contacts/changes/feed",
        s -> {
          int after = 0;
          int count = 1000;
          for (String p : s.target().substring(s.target().indexOf('?') + 1).split("&")) {
            if (p.startsWith("after=")) {
              after = Integer.parseInt(p.substring(6).replace("0.", ""));
            }
            if (p.startsWith("count=")) {
              count = Integer.parseInt(p.substring(6));
            }
          }
          StringBuilder b = new StringBuilder("{\"changes\":[");
          int last = after;
          int n = 0;
          for (int i = after; i < feed.size() && n < count; i++, n++) {
            String[] c = feed.get(i);
            if (n > 0) {
              b.append(',');
            }
            b.append("{\"cursor\":\"0.")
                .append(i + 1)
                .append("\",\"contactId\":\"")
                .append(c[0])
                .append("\",\"changeType\":\"")
                .append(c[1])
                .append("\",\"changedAt\":\"2026-03-01T10:00:00+01:00\"}");
            last = i + 1;
          }
          b.append("],\"next\":\"0.").append(last).append("\",\"hasMore\":");
          b.append(last < feed.size()).append('}');
          return StubEngine.Answer.json(200, b.toString());
        });
    engine.on(
        "GET /api/v2/contacts/",
        s -> {
          String id = s.target().substring("/api/v2/contacts/".length());
          String json = contacts.get(id);
          return json == null
              ? StubEngine.Answer.json(404, "{\"errorCode\":\"ContactNotFound\"}")
              : StubEngine.Answer.json(200, json);
        });
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  private void change(String id, String type, String email, String phone) {
    contacts.put(id, TestData.contactJson(id, "Member", email, phone));
    feed.add(new String[] {id, type});
  }

  private ContactReplica open(StamkundClient client) {
    return ContactReplica.open(dir.resolve("replica.db"), client, clock, 2, "46");
  }

  @Test
  void theInitialDownloadPagesTheFeedAndLookupsAnswerFromTheCopy() {
    change("c-1", "Created", "Anna@Example.com", "+46701111111");
    change("c-2", "Created", "bo@example.com", "+46702222222");
    change("c-3", "Created", "cy@example.com", "+46703333333");
    try (StamkundClient client =
            StamkundClient.builder().baseUrl(engine.url()).apiKey("k").build();
        ContactReplica replica = open(client)) {
      assertThat(replica.age()).as("before the first sync").isNull();
      ContactReplica.SyncResult r = replica.sync();
      assertThat(r.pages()).isEqualTo(2);
      assertThat(r.upserted()).isEqualTo(3);
      assertThat(replica.size()).isEqualTo(3);
      assertThat(replica.find(ContactKey.EMAIL, " anna@example.COM"))
          .map(h -> h.contact().id())
          .contains("c-1");
      assertThat(replica.find(ContactKey.MOBILE_PHONE, "070-222 22 22"))
          .map(h -> h.contact().id())
          .contains("c-2");
      assertThat(replica.byMemberNumber("M-c-3")).isPresent();
      clock.advance(Duration.ofMinutes(2));
      assertThat(replica.find(ContactKey.EMAIL, "cy@example.com").orElseThrow().age())
          .isEqualTo(Duration.ofMinutes(2));
    }
  }

  @Test
  void laterSyncsFollowTheCursorAndApplyUpdatesAndDeletes() {
    change("c-1", "Created", "a@example.com", "+46701111111");
    change("c-2", "Created", "b@example.com", "+46702222222");
    try (StamkundClient client =
        StamkundClient.builder().baseUrl(engine.url()).apiKey("k").build()) {
      try (ContactReplica replica = open(client)) {
        replica.sync();
      }
      change("c-1", "Updated", "new@example.com", "+46701111111");
      feed.add(new String[] {"c-2", "Deleted"});
      contacts.remove("c-2");
      try (ContactReplica replica = open(client)) {
        ContactReplica.SyncResult r = replica.sync();
        assertThat(r.upserted()).isEqualTo(1);
        assertThat(r.deleted()).isEqualTo(1);
        assertThat(replica.find(ContactKey.EMAIL, "a@example.com")).isEmpty();
        assertThat(replica.find(ContactKey.EMAIL, "new@example.com")).isPresent();
        assertThat(replica.byId("c-2")).isEmpty();
      }
    }
    assertThat(engine.seen("GET", "/api/v2/contacts/changes/feed").getLast().target())
        .contains("after=0.2");
  }
}

package org.stamkund.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the server says at start about when the kernel writes PostgreSQL's pages to disk. */
class WriteBackNoteTests {

  @TempDir Path vm;

  private String noteWith(String bytes, String ratio) throws Exception {
    Files.writeString(vm.resolve("dirty_background_bytes"), bytes + "\n");
    Files.writeString(vm.resolve("dirty_background_ratio"), ratio + "\n");
    return EmbeddedDatabaseConfiguration.writeBack(vm);
  }

  @Test
  void aFixedAmountIsSaid() throws Exception {
    assertThat(noteWith("33554432", "10"))
        .isEqualTo("the kernel writes dirty pages back to disk from 32768 KiB on");
  }

  @Test
  void aShareOfMemoryIsSaidWithTheSettingThatChangesIt() throws Exception {
    assertThat(noteWith("0", "10"))
        .isEqualTo(
            "the kernel lets dirty pages gather up to 10% of memory before writing them back, in"
                + " bursts (vm.dirty_background_bytes: README, \"Writing back\")");
  }

  @Test
  void aMachineWithoutTheSettingsIsANoteNotAFailedStart() {
    assertThat(EmbeddedDatabaseConfiguration.writeBack(vm.resolve("missing")))
        .isEqualTo("could not tell when the kernel writes dirty pages back to disk");
  }

  @Test
  void anUnreadableValueIsTheSameNote() throws Exception {
    assertThat(noteWith("lots", "10"))
        .isEqualTo("could not tell when the kernel writes dirty pages back to disk");
  }
}

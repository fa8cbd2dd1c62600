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
  void aShareOfMemoryIsSaidWithTheSettingThatWritesSteadily() throws Exception {
    assertThat(noteWith("0", "10"))
        .startsWith("the kernel lets dirty pages gather up to 10% of memory before writing them")
        .contains("vm.dirty_background_bytes=33554432")
        .contains("README");
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

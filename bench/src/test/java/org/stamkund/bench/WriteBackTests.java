package org.stamkund.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteBackTests {

  @TempDir Path vm;

  private WriteBack with(String bytes, String ratio) throws Exception {
    Files.writeString(vm.resolve("dirty_background_bytes"), bytes + "\n");
    Files.writeString(vm.resolve("dirty_background_ratio"), ratio + "\n");
    return WriteBack.read(vm);
  }

  @Test
  void aFixedAmountIsWhatTheKernelWaitsFor() throws Exception {
    WriteBack writeBack = with("33554432", "10");

    assertThat(writeBack.from()).isEqualTo("32 MiB");
  }

  @Test
  void withoutOneItIsAShareOfMemory() throws Exception {
    WriteBack writeBack = with("0", "10");

    assertThat(writeBack.from()).isEqualTo("10% of memory");
  }

  @Test
  void anAmountThatIsNotWholeMebibytesIsGivenInBytes() throws Exception {
    assertThat(with("1000000", "10").from()).isEqualTo("1000000 bytes");
  }

  @Test
  void theMachinesOwnSettingsAreReadWhole() throws Exception {
    Path proc = Path.of("/proc/sys/vm");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isReadable(proc.resolve("dirty_background_bytes")));
    long bytes;
    try (java.io.InputStream in = Files.newInputStream(proc.resolve("dirty_background_bytes"))) {
      bytes =
          Long.parseLong(
              new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip());
    }
    int ratio;
    try (java.io.InputStream in = Files.newInputStream(proc.resolve("dirty_background_ratio"))) {
      ratio =
          Integer.parseInt(
              new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip());
    }

    assertThat(WriteBack.read(proc)).isEqualTo(new WriteBack(bytes, ratio));
  }

  @Test
  void aMachineWithoutTheSettingsIsUnknown() {
    WriteBack writeBack = WriteBack.read(vm.resolve("missing"));

    assertThat(writeBack.from()).isEqualTo("unknown");
  }
}

package org.stamkund.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * When the kernel starts writing dirty pages back to disk ({@code vm.dirty_background_bytes}, or
 * when that is 0, {@code vm.dirty_background_ratio} of memory). Left at a share of memory, it lets
 * hundreds of MiB of PostgreSQL's written pages gather and then writes them in bursts, and a
 * commit's flush of the write-ahead log waits behind each one: the receipts' seconds with a latency
 * of 226-375 ms (docs/performance.md, "Twenty-sixth session"). Runs compare only when they agree on
 * it.
 *
 * @param bytes {@code vm.dirty_background_bytes}; 0 when the ratio applies
 * @param ratio {@code vm.dirty_background_ratio}, percent of memory
 */
record WriteBack(long bytes, int ratio) {

  /** What a machine without {@code /proc/sys/vm} reports. */
  static final WriteBack UNKNOWN = new WriteBack(-1, -1);

  /** The settings under {@code vm} (normally {@code /proc/sys/vm}); unknown when unreadable. */
  static WriteBack read(Path vm) {
    try {
      return new WriteBack(
          Long.parseLong(firstLine(vm.resolve("dirty_background_bytes"))),
          Integer.parseInt(firstLine(vm.resolve("dirty_background_ratio"))));
    } catch (IOException | NumberFormatException e) {
      return UNKNOWN;
    }
  }

  /**
   * A file's first line. Not {@link Files#readString}: a file under {@code /proc} says its size is
   * 0, and that read only its first character ("3" of 33554432).
   */
  private static String firstLine(Path file) throws IOException {
    return Files.readAllLines(file).stream().findFirst().orElse("").strip();
  }

  /** "32 MiB", "10% of memory" or "unknown". */
  String from() {
    if (bytes > 0) {
      return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : bytes + " bytes";
    }
    return bytes == 0 && ratio >= 0 ? ratio + "% of memory" : "unknown";
  }
}

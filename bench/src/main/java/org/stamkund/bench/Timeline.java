package org.stamkund.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * A measured window second by second ({@code --timeline}): each second's calls and latencies next
 * to what the machine did in it, the time tasks stalled waiting for the disk and for a core
 * (Linux's pressure stall information) and the dirty pages waiting to be written. A scenario's tail
 * that comes in bursts shows which of them came with it.
 */
final class Timeline {

  private static volatile boolean enabled;

  private long ioStallMicros;
  private long cpuStallMicros;
  private long stolenTicks;
  private int second;

  private Timeline() {
    this.ioStallMicros = stalled("io");
    this.cpuStallMicros = stalled("cpu");
    this.stolenTicks = stolen();
  }

  static void enable() {
    enabled = true;
  }

  /** A timeline of the window starting now; null unless {@code --timeline} was given. */
  static @Nullable Timeline start() {
    if (!enabled) {
      return null;
    }
    System.err.println(
        "timeline: second calls p50_ms p99_ms max_ms io_stall_ms cpu_stall_ms steal_ms dirty_mib"
            + " writeback_mib");
    return new Timeline();
  }

  /** Prints one second's line. */
  void second(Histogram latencies) {
    long io = stalled("io");
    long cpu = stalled("cpu");
    long steal = stolen();
    System.err.println(
        String.format(
            Locale.ROOT,
            "timeline: %d %d %.1f %.1f %.1f %d %d %d %d %d",
            ++second,
            latencies.getTotalCount(),
            latencies.getValueAtPercentile(50) / 1e6,
            latencies.getValueAtPercentile(99) / 1e6,
            latencies.getMaxValue() / 1e6,
            (io - ioStallMicros) / 1000,
            (cpu - cpuStallMicros) / 1000,
            (steal - stolenTicks) * 10,
            memory("Dirty:") / 1024,
            memory("Writeback:") / 1024));
    ioStallMicros = io;
    cpuStallMicros = cpu;
    stolenTicks = steal;
  }

  /**
   * Time the hypervisor ran something else while this machine's cores had work, since boot, in
   * ticks of 10 ms (/proc/stat); -1 where the kernel tells none.
   */
  private static long stolen() {
    try (var lines = Files.lines(Path.of("/proc/stat"))) {
      String[] cpu = lines.findFirst().orElse("").trim().split("\\s+");
      return cpu.length > 8 && cpu[0].equals("cpu") ? Long.parseLong(cpu[8]) : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Microseconds some task stalled on a resource since boot; -1 where the kernel tells none. */
  private static long stalled(String resource) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/pressure", resource))) {
        if (line.startsWith("some ")) {
          return Long.parseLong(line.substring(line.indexOf("total=") + "total=".length()).strip());
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or no pressure stall information: the column stays -1
    }
    return -1;
  }

  /** A line of /proc/meminfo in KiB; -1 where there is none. */
  private static long memory(String name) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/meminfo"));
      for (String line : lines) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.substring(name.length()).replace("kB", "").strip());
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: the column stays -1
    }
    return -1;
  }
}

package io.longtail.datasets.lvis.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.longtail.datasets.lvis.LvisDataset;
import io.longtail.datasets.lvis.LvisReader;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Times {@link LvisReader} on an annotation file at LVIS v1 train scale and reports wall time and
 * heap.
 *
 * <p>Usage: {@code LoadBenchmark FILE [--regenerate] [--seed N] [--repeat R]}. When FILE does not
 * exist (or with {@code --regenerate}) a {@link SyntheticLvisFile} with the LVIS v1 train sizes is
 * written there first. Besides wall time it reports the CPU time of the reading thread (the reader
 * is single-threaded; on a busy machine wall time is larger) and the time spent in garbage
 * collection. Peak heap is the largest heap occupancy seen just before a garbage collection (from
 * GC notifications) or at the end of a load; retained heap is the occupancy after a full collection
 * with the dataset still referenced, i.e. the size of the dataset in memory.
 */
public final class LoadBenchmark {

  private static final double MIB = 1 << 20;

  private LoadBenchmark() {}

  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionTime)
        .sum();
  }

  /** Runs the benchmark; see the class documentation for the arguments. */
  public static void main(String[] args) throws IOException {
    Path file = null;
    boolean regenerate = false;
    long seed = 0;
    int repeat = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--regenerate" -> regenerate = true;
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--repeat" -> repeat = Integer.parseInt(args[++i]);
        default -> file = Path.of(args[i]);
      }
    }
    if (file == null) {
      throw new IllegalArgumentException(
          "usage: LoadBenchmark FILE [--regenerate] [--seed N] [--repeat R]");
    }
    if (regenerate || !Files.exists(file)) {
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      long t0 = System.nanoTime();
      SyntheticLvisFile.builder().optSeed(seed).build().write(file);
      System.out.printf(
          Locale.ROOT,
          "generated %s (%.1f MiB) in %.1f s%n",
          file,
          Files.size(file) / MIB,
          (System.nanoTime() - t0) / 1e9);
    }

    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    AtomicLong peak = new AtomicLong();
    NotificationListener listener =
        (notification, handback) -> {
          if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
              notification.getType())) {
            GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long before =
                info.getGcInfo().getMemoryUsageBeforeGc().values().stream()
                    .mapToLong(MemoryUsage::getUsed)
                    .sum();
            peak.accumulateAndGet(before, Math::max);
          }
        };
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
    }

    System.out.printf(
        Locale.ROOT,
        "file %s: %.1f MiB, max heap (-Xmx) %.0f MiB%n",
        file,
        Files.size(file) / MIB,
        Runtime.getRuntime().maxMemory() / MIB);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    LvisReader reader = LvisReader.builder().build();
    LvisDataset dataset = null;
    for (int r = 0; r < repeat; r++) {
      dataset = null;
      System.gc();
      peak.set(0);
      long gc0 = gcMillis();
      long cpu0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      dataset = reader.read(file);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
      double gcSeconds = (gcMillis() - gc0) / 1e3;
      long end = memory.getHeapMemoryUsage().getUsed();
      System.out.printf(
          Locale.ROOT,
          "load %d: %.2f s, %d images, %d categories, %d annotations%n",
          r + 1,
          seconds,
          dataset.images().size(),
          dataset.categories().size(),
          dataset.annotations().size());
      System.out.printf(
          Locale.ROOT,
          "  reading thread CPU %.2f s, GC %.2f s, peak heap %.0f MiB%n",
          cpuSeconds,
          gcSeconds,
          Math.max(peak.get(), end) / MIB);
    }
    System.gc();
    System.out.printf(
        Locale.ROOT,
        "retained heap after full GC: %.0f MiB (%s)%n",
        memory.getHeapMemoryUsage().getUsed() / MIB,
        dataset);
  }
}

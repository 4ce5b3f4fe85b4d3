package io.longtail.detection.train;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Properties;

/**
 * Where a checkpoint came from (Tribuo's habit: every saved model carries its provenance): the
 * versions of the toolkit, DJL, the engine and Java, the seed, the training data, when and on which
 * host it was written.
 *
 * @param toolkitVersion the lt-detection version ({@code unknown} when run from classes)
 * @param djlVersion DJL's version
 * @param engine the engine's name, e.g. {@code MXNet}
 * @param engineVersion the engine's version
 * @param javaVersion {@code java.version}
 * @param seed the run's master seed
 * @param dataset the training annotations (a path or a name)
 * @param createdAt when the checkpoint was written
 * @param host the host name ({@code unknown} if it cannot be found)
 */
public record Provenance(
    String toolkitVersion,
    String djlVersion,
    String engine,
    String engineVersion,
    String javaVersion,
    long seed,
    String dataset,
    Instant createdAt,
    String host) {

  /** Rejects nulls, naming the field. */
  public Provenance {
    Objects.requireNonNull(toolkitVersion, "toolkitVersion");
    Objects.requireNonNull(djlVersion, "djlVersion");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(engineVersion, "engineVersion");
    Objects.requireNonNull(javaVersion, "javaVersion");
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(host, "host");
  }

  /**
   * The provenance of this process now, from the default DJL engine (which this loads).
   *
   * @param seed the run's master seed
   * @param dataset the training annotations
   * @param clock the clock of {@code createdAt}
   * @return the provenance
   */
  public static Provenance capture(long seed, String dataset, Clock clock) {
    Engine engine = Engine.getInstance();
    return new Provenance(
        currentToolkitVersion(),
        Objects.requireNonNullElse(Engine.getDjlVersion(), "unknown"),
        engine.getEngineName(),
        Objects.requireNonNullElse(engine.getVersion(), "unknown"),
        System.getProperty("java.version", "unknown"),
        seed,
        dataset,
        clock.instant(),
        currentHost());
  }

  /**
   * The same provenance with another creation time (each checkpoint of a run records its own).
   *
   * @param time the new time
   * @return the copy
   */
  public Provenance at(Instant time) {
    return new Provenance(
        toolkitVersion, djlVersion, engine, engineVersion, javaVersion, seed, dataset, time, host);
  }

  private static String currentToolkitVersion() {
    String version = Provenance.class.getPackage().getImplementationVersion();
    if (version != null) {
      return version;
    }
    // Maven puts pom.properties into every jar it builds; missing when run from target/classes.
    try (InputStream in =
        Provenance.class.getResourceAsStream(
            "/META-INF/maven/io.longtail/lt-detection/pom.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "unknown");
      }
    } catch (IOException e) {
      // fall through: provenance must never stop a run
    }
    return "unknown";
  }

  private static String currentHost() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }
}

package io.longtail.segmentation.engine;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Compiles and runs the example of the repository's {@code README.md} exactly as written there: the
 * Java block between {@code <!-- example:start -->} and {@code <!-- example:end -->} is compiled
 * with the system compiler against the test class path and its {@code main} is run.
 */
final class ReadmeExample {

  static final Path README = Path.of("..", "README.md");

  private ReadmeExample() {}

  /** The example's source text from the README. */
  static String source() throws IOException {
    String md = Files.readString(README);
    int start = md.indexOf("<!-- example:start -->");
    int end = md.indexOf("<!-- example:end -->");
    if (start < 0 || end < start) {
      throw new IllegalStateException(README + " has no example:start/example:end markers");
    }
    String block = md.substring(start, end);
    int open = block.indexOf("```java\n");
    int close = block.lastIndexOf("```");
    if (open < 0 || close <= open) {
      throw new IllegalStateException(README + ": the example is not a ```java block");
    }
    return block.substring(open + "```java\n".length(), close);
  }

  /**
   * Compiles the example and runs its {@code main(run, image)}.
   *
   * @return what it printed
   */
  static String compileAndRun(Path workDir, Path run, Path image) throws Exception {
    String source = source();
    String className = source.replaceAll("(?s).*public class (\\w+).*", "$1");
    Path src = workDir.resolve("src").resolve(className + ".java");
    Path classes = workDir.resolve("classes");
    Files.createDirectories(src.getParent());
    Files.createDirectories(classes);
    Files.writeString(src, source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    boolean ok =
        javac
            .getTask(
                diagnostics,
                null,
                null,
                List.of(
                    "-classpath",
                    classPath(),
                    "-d",
                    classes.toString(),
                    "-proc:none",
                    "-Xlint:all"),
                null,
                javac
                    .getStandardFileManager(null, null, StandardCharsets.UTF_8)
                    .getJavaFileObjects(src.toFile()))
            .call();
    if (!ok) {
      throw new AssertionError("the README example does not compile:\n" + diagnostics);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream original = System.out;
    try (URLClassLoader loader =
        new URLClassLoader(
            new URL[] {classes.toUri().toURL()}, ReadmeExample.class.getClassLoader())) {
      Method main = loader.loadClass(className).getMethod("main", String[].class);
      System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
      main.invoke(null, (Object) new String[] {run.toString(), image.toString()});
    } finally {
      System.setOut(original);
    }
    return bytes.toString(StandardCharsets.UTF_8).replace("\r\n", "\n").strip();
  }

  /** The test class path (surefire may hide it in a manifest-only jar). */
  private static String classPath() throws IOException {
    Set<String> entries = new LinkedHashSet<>();
    for (String key : List.of("surefire.test.class.path", "java.class.path")) {
      String value = System.getProperty(key);
      if (value == null) {
        continue;
      }
      for (String e : value.split(File.pathSeparator)) {
        if (e.isEmpty()) {
          continue;
        }
        entries.add(e);
        if (e.endsWith(".jar") && Files.isRegularFile(Path.of(e))) {
          entries.addAll(manifestClassPath(Path.of(e)));
        }
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static List<String> manifestClassPath(Path jar) throws IOException {
    List<String> out = new ArrayList<>();
    try (JarFile f = new JarFile(jar.toFile())) {
      Manifest m = f.getManifest();
      String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
      if (cp == null) {
        return out;
      }
      for (String url : cp.trim().split("\\s+")) {
        try {
          out.add(Path.of(new URL(jar.toUri().toURL(), url).toURI()).toString());
        } catch (java.net.URISyntaxException e) {
          // not a file entry
        }
      }
    }
    return out;
  }
}

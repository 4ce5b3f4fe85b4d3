package io.longtail.datasets.lvis;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A bad annotation or results file. The message names the file, the record (e.g. {@code
 * annotations[1234] (id 5678)}) and the field, and the accessors give them separately.
 */
public final class AnnotationFileException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String record;
  private final String field;
  private final AnnotationProblem problem;

  /**
   * @param file the file being read
   * @param record the record, e.g. {@code annotations[12] (id 345)}; {@code null} when the problem
   *     is not in one record (e.g. not JSON)
   * @param field the field, e.g. {@code bbox}; {@code null} when not about one field
   * @param problem the kind of problem
   * @param detail what is wrong, with the bad value
   * @param cause the underlying exception, or {@code null}
   */
  public AnnotationFileException(
      Path file,
      String record,
      String field,
      AnnotationProblem problem,
      String detail,
      Throwable cause) {
    super(message(file, record, field, detail), cause);
    this.file = Objects.requireNonNull(file, "file");
    this.record = record;
    this.field = field;
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  private static String message(Path file, String record, String field, String detail) {
    StringBuilder sb = new StringBuilder().append(file);
    if (record != null) {
      sb.append(": ").append(record);
    }
    if (field != null) {
      sb.append(": field '").append(field).append('\'');
    }
    return sb.append(": ").append(detail).toString();
  }

  /** The file being read. */
  public Path file() {
    return file;
  }

  /** The record, e.g. {@code annotations[12] (id 345)}, or {@code null}. */
  public String record() {
    return record;
  }

  /** The field, e.g. {@code bbox}, or {@code null}. */
  public String field() {
    return field;
  }

  /** The kind of problem. */
  public AnnotationProblem problem() {
    return problem;
  }
}

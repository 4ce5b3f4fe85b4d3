package io.longtail.datasets.lvis;

/**
 * The kinds of bad records the reader recognises. In strict mode the first one stops reading with
 * an {@link AnnotationFileException}; in lenient mode bad annotations are skipped and counted in a
 * {@link SkipReport}.
 */
public enum AnnotationProblem {
  /** The file is not well-formed JSON. */
  NOT_JSON,
  /** A required field is absent. */
  MISSING_FIELD,
  /** A field has the wrong JSON type (e.g. a string where a number is expected). */
  WRONG_TYPE,
  /** A number is NaN or infinite, or a value is out of its range (e.g. a negative area). */
  BAD_VALUE,
  /** A box with negative width or height. */
  NEGATIVE_BOX_SIZE,
  /** A polygon with an odd number of coordinates. */
  ODD_POLYGON_COORDINATES,
  /** A polygon with fewer than 3 points. */
  TOO_FEW_POLYGON_POINTS,
  /** A reference to a category that the file does not declare. */
  UNKNOWN_CATEGORY,
  /** A reference to an image that the file does not declare. */
  UNKNOWN_IMAGE,
  /** An id used by two records of the same section. */
  DUPLICATE_ID
}

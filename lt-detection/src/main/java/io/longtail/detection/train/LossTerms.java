package io.longtail.detection.train;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The named loss terms of one iteration, in a fixed order (e.g. {@code loss_rpn_cls, loss_rpn_box,
 * loss_cls, loss_box_reg}), as plain doubles read back from the engine.
 *
 * <p>Loss terms are the one place where values are keyed by name: the detector decides which terms
 * it has, and the log, the progress bar and the NaN guard show them by name. An ordered list of
 * {@link Term} records keeps the order stable (it is the column order of {@code metrics.jsonl})
 * without a string-keyed map.
 *
 * @param terms the terms, names unique, matching {@code [A-Za-z][A-Za-z0-9_]*}
 */
public record LossTerms(List<Term> terms) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

  /**
   * Names that {@link TrainingLog} writes next to the loss terms in one flat JSON object, so a loss
   * term may not take them.
   */
  static final Set<String> RESERVED =
      Set.of("iteration", "total_loss", "lr", "seconds_per_iter", "time");

  /**
   * One named loss value.
   *
   * @param name the term's name, e.g. {@code loss_cls}
   * @param value its value (may be NaN or infinite: {@link LossGuard} is the one that rejects it)
   */
  public record Term(String name, double value) {
    /** Validates the name. */
    public Term {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "loss term name must match " + NAME.pattern() + ", got " + name);
      }
      if (RESERVED.contains(name)) {
        throw new IllegalArgumentException(
            "loss term name must not be one of " + RESERVED + " (log columns), got " + name);
      }
    }
  }

  /** Copies the list and checks that the names are unique and that there is at least one term. */
  public LossTerms {
    terms = List.copyOf(terms);
    if (terms.isEmpty()) {
      throw new IllegalArgumentException("terms must not be empty, got []");
    }
    Set<String> seen = new HashSet<>();
    for (Term t : terms) {
      if (!seen.add(t.name())) {
        throw new IllegalArgumentException(
            "loss term names must be unique, got " + t.name() + " twice");
      }
    }
  }

  /**
   * Terms from alternating names and values: {@code of("loss_cls", 0.7, "loss_box_reg", 0.2)}.
   *
   * @param namesAndValues {@code String, Number, String, Number, ...}
   * @return the terms in the given order
   */
  public static LossTerms of(Object... namesAndValues) {
    if (namesAndValues.length == 0 || namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "namesAndValues must be non-empty name/value pairs, got "
              + namesAndValues.length
              + " arguments");
    }
    List<Term> list = new ArrayList<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (!(namesAndValues[i] instanceof String name)
          || !(namesAndValues[i + 1] instanceof Number value)) {
        throw new IllegalArgumentException(
            "namesAndValues must alternate String and Number, got "
                + namesAndValues[i]
                + ", "
                + namesAndValues[i + 1]
                + " at position "
                + i);
      }
      list.add(new Term(name, value.doubleValue()));
    }
    return new LossTerms(list);
  }

  /** The sum of all terms, the loss that is back-propagated. */
  public double total() {
    double sum = 0;
    for (Term t : terms) {
      sum += t.value();
    }
    return sum;
  }

  /** The names in order. */
  public List<String> names() {
    return terms.stream().map(Term::name).toList();
  }

  /**
   * The value of the named term.
   *
   * @param name a term's name
   * @return its value
   * @throws IllegalArgumentException if no term has that name
   */
  public double value(String name) {
    for (Term t : terms) {
      if (t.name().equals(name)) {
        return t.value();
      }
    }
    throw new IllegalArgumentException("no loss term named " + name + " in " + names());
  }
}

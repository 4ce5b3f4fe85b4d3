package io.longtail.detection.finetune;

import io.longtail.detection.config.SamplerKind;
import java.util.Objects;

/**
 * Settings of a second stage. Settings left unset come from the checkpoint's own solver (batch
 * size, learning rate, momentum, weight decay, seed); the schedule is a cosine decay from the
 * learning rate to 0 over the stage's iterations, without warm-up.
 *
 * @param scheme cRT, LWS or tau-norm
 * @param tau tau-norm's power, {@code >= 0} (1: unit-norm rows)
 * @param iterations training iterations of cRT and LWS, or 0 for a tenth of the checkpoint's {@code
 *     solver.maxIter} (Kang et al. train the second stage for about a tenth of the first)
 * @param baseLr learning rate, or 0 for the checkpoint's {@code solver.baseLr}
 * @param imagesPerBatch images per iteration, or 0 for the checkpoint's
 * @param sampler image sampler of cRT and LWS (class-aware, as in the paper, unless set)
 * @param seed seed of sampling, flips and the re-initialised classifier, or {@code null} for the
 *     checkpoint's
 * @param workers image decoding threads, or 0 for the checkpoint's
 */
public record FinetuneConfig(
    FinetuneScheme scheme,
    float tau,
    int iterations,
    double baseLr,
    int imagesPerBatch,
    SamplerKind sampler,
    Long seed,
    int workers) {

  /** Validates the settings, naming the first bad one. */
  public FinetuneConfig {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(sampler, "sampler");
    if (!(tau >= 0) || Float.isInfinite(tau)) {
      throw new IllegalArgumentException("tau must be >= 0 and finite, got " + tau);
    }
    if (iterations < 0) {
      throw new IllegalArgumentException("iterations must be >= 0 (0: default), got " + iterations);
    }
    if (!(baseLr >= 0) || Double.isInfinite(baseLr)) {
      throw new IllegalArgumentException("baseLr must be >= 0 (0: default), got " + baseLr);
    }
    if (imagesPerBatch < 0) {
      throw new IllegalArgumentException(
          "imagesPerBatch must be >= 0 (0: default), got " + imagesPerBatch);
    }
    if (workers < 0) {
      throw new IllegalArgumentException("workers must be >= 0 (0: default), got " + workers);
    }
  }

  /**
   * A builder for a scheme, with tau 1, class-aware sampling and everything else from the
   * checkpoint.
   */
  public static Builder builder(FinetuneScheme scheme) {
    return new Builder(scheme);
  }

  /** Builder for {@link FinetuneConfig}. */
  public static final class Builder {
    private final FinetuneScheme scheme;
    private float tau = 1f;
    private int iterations;
    private double baseLr;
    private int imagesPerBatch;
    private SamplerKind sampler = SamplerKind.CLASS_AWARE;
    private Long seed;
    private int workers;

    private Builder(FinetuneScheme scheme) {
      this.scheme = scheme;
    }

    /** Tau-norm's power (default 1). */
    public Builder optTau(float value) {
      this.tau = value;
      return this;
    }

    /** Iterations of cRT and LWS (default: a tenth of the checkpoint's maxIter). */
    public Builder optIterations(int value) {
      this.iterations = value;
      return this;
    }

    /** Learning rate (default: the checkpoint's). */
    public Builder optBaseLr(double value) {
      this.baseLr = value;
      return this;
    }

    /** Images per iteration (default: the checkpoint's). */
    public Builder optImagesPerBatch(int value) {
      this.imagesPerBatch = value;
      return this;
    }

    /** Image sampler (default: class-aware). */
    public Builder optSampler(SamplerKind value) {
      this.sampler = value;
      return this;
    }

    /** Seed (default: the checkpoint's). */
    public Builder optSeed(long value) {
      this.seed = value;
      return this;
    }

    /** Decoding threads (default: the checkpoint's). */
    public Builder optWorkers(int value) {
      this.workers = value;
      return this;
    }

    /** Validates and builds. */
    public FinetuneConfig build() {
      return new FinetuneConfig(
          scheme, tau, iterations, baseLr, imagesPerBatch, sampler, seed, workers);
    }
  }
}

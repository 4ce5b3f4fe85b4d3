package io.longtail.core.loss;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The class-wise queue of contrast features used by {@link GmlLoss} (Suh and Seo, ICML 2023,
 * following their MoCo-based code): {@code K} slots split into one ring buffer per class.
 *
 * <p><b>Layout (the minimum queue length rule).</b> With class weights {@code w_c = n_c / sum n},
 * class {@code c} ends at {@code ceil((c + 1) * m + (K - C * m) * sum_{k <= c} w_k)} and starts
 * where class {@code c - 1} ends, so every class gets at least {@code m} slots ({@code m = }
 * minimum per class) and the remaining {@code K - C m} slots are shared in proportion to the class
 * frequencies.
 *
 * <p><b>Enqueue.</b> Rows of a batch are written in batch order into their class's ring buffer at
 * {@code start_c + (pointer_c + j) % size_c} for the {@code j}-th row of that class in the batch;
 * rows beyond {@code size_c} in one batch are dropped; the pointer advances by the number written.
 * The stored features are raw (un-embedded) features of a frozen teacher, detached from any graph;
 * the training step embeds the whole queue to get the keys. Each slot also stores the sample index,
 * so that the temperature term of the loss can leave a query's own features out.
 *
 * <p><b>Initial state.</b> Unit-norm Gaussian features from the explicit seed, each slot labelled
 * with its segment's class, sample indices {@code -K .. -1} (never a real sample).
 *
 * <p><b>State and devices.</b> Labels, indices and pointers live on the host; the {@code (K, D)}
 * features live on the device of the first {@link #enqueue} (or {@link #initialize}), in a manager
 * owned by the queue ({@link #close} frees it). {@link #save} and {@link #load} carry everything
 * through checkpoints. Updates are out-of-place, so they are allowed inside an autograd recording.
 * Not thread-safe.
 */
public final class ClassWiseQueue implements AutoCloseable {

  private static final byte STATE_VERSION = 1;

  private final int size;
  private final int featureDim;
  private final int numClasses;
  private final int[] start;
  private final int[] length;
  private final int[] pointer;
  private final int[] labels;
  private final long[] ids;
  private final long seed;
  private NDManager manager;
  private NDArray features;
  private NDArray labelArray;
  private NDArray idArray;

  /**
   * Creates a queue with its initial contents (features are materialised on first use).
   *
   * @param classCounts training samples per class, all {@code >= 1}; their proportions split the
   *     queue
   * @param size total slots {@code K >= C * minPerClass}
   * @param minPerClass minimum slots per class {@code m >= 1}
   * @param featureDim dimension of the stored teacher features
   * @param seed seed of the random initial features
   */
  public ClassWiseQueue(
      List<Long> classCounts, int size, int minPerClass, int featureDim, long seed) {
    if (classCounts == null || classCounts.isEmpty()) {
      throw new IllegalArgumentException(
          "classCounts must list at least one class, got " + classCounts);
    }
    numClasses = classCounts.size();
    if (minPerClass < 1) {
      throw new IllegalArgumentException("minPerClass must be >= 1, got " + minPerClass);
    }
    if (size < (long) numClasses * minPerClass) {
      throw new IllegalArgumentException(
          "queue size must be >= numClasses * minPerClass = "
              + (long) numClasses * minPerClass
              + ", got "
              + size);
    }
    if (featureDim < 1) {
      throw new IllegalArgumentException("featureDim must be >= 1, got " + featureDim);
    }
    double total = 0;
    for (int c = 0; c < numClasses; c++) {
      long n = classCounts.get(c);
      if (n < 1) {
        throw new IllegalArgumentException("classCounts[" + c + "] must be >= 1, got " + n);
      }
      total += n;
    }
    this.size = size;
    this.featureDim = featureDim;
    this.seed = seed;
    start = new int[numClasses];
    length = new int[numClasses];
    pointer = new int[numClasses];
    labels = new int[size];
    ids = new long[size];
    double cumulative = 0;
    int previousEnd = 0;
    for (int c = 0; c < numClasses; c++) {
      cumulative += classCounts.get(c) / total;
      double position =
          (c + 1) * (double) minPerClass + (size - (double) numClasses * minPerClass) * cumulative;
      // The last class ends at K exactly (a cumulative sum of 1 - 1e-16 must not lose a slot).
      int end = c == numClasses - 1 ? size : (int) Math.min(size, Math.ceil(position - 1e-9));
      start[c] = previousEnd;
      length[c] = end - previousEnd;
      if (length[c] < minPerClass) {
        throw new IllegalStateException(
            "queue layout gave class " + c + " " + length[c] + " slots < " + minPerClass);
      }
      Arrays.fill(labels, start[c], end, c);
      previousEnd = end;
    }
    for (int i = 0; i < size; i++) {
      ids[i] = i - (long) size;
    }
  }

  /** Total number of slots {@code K}. */
  public int size() {
    return size;
  }

  /** Dimension of the stored features. */
  public int featureDim() {
    return featureDim;
  }

  /** Number of classes {@code C}. */
  public int numClasses() {
    return numClasses;
  }

  /** First slot of each class's segment (a copy). */
  public int[] segmentStarts() {
    return start.clone();
  }

  /** Number of slots of each class (a copy). */
  public int[] segmentLengths() {
    return length.clone();
  }

  /** Next write offset within each class's segment (a copy). */
  public int[] pointers() {
    return pointer.clone();
  }

  /** The class of every slot (a copy). */
  public int[] slotLabels() {
    return labels.clone();
  }

  /** The sample index of every slot (a copy); negative for initial slots. */
  public long[] slotIds() {
    return ids.clone();
  }

  /**
   * Materialises the features on a device (no-op if already done).
   *
   * @param device where the features live
   */
  public void initialize(Device device) {
    if (manager != null) {
      return;
    }
    manager = NDManager.newBaseManager(device);
    SplittableRandom random = new SplittableRandom(seed);
    float[] init = new float[size * featureDim];
    for (int i = 0; i < size; i++) {
      double norm = 0;
      double[] row = new double[featureDim];
      for (int d = 0; d < featureDim; d++) {
        row[d] = gaussian(random);
        norm += row[d] * row[d];
      }
      norm = Math.sqrt(norm);
      for (int d = 0; d < featureDim; d++) {
        init[i * featureDim + d] = (float) (row[d] / norm);
      }
    }
    features = manager.create(init, new Shape(size, featureDim));
    refreshIndexArrays();
  }

  /**
   * The stored features {@code (K, D)} (owned by the queue: do not close; replaced by the next
   * {@link #enqueue}). Materialised on the default device if the queue was never used.
   */
  public NDArray features() {
    ensureInitialized();
    return features;
  }

  /** The class of every slot as an int32 array {@code (K)} (owned by the queue). */
  public NDArray labels() {
    ensureInitialized();
    return labelArray;
  }

  /** The sample index of every slot as an int64 array {@code (K)} (owned by the queue). */
  public NDArray ids() {
    ensureInitialized();
    return idArray;
  }

  /**
   * Writes a batch into the class ring buffers.
   *
   * @param batchFeatures {@code (B, D)} teacher features; detached, converted to float32
   * @param batchLabels {@code (B)} classes in {@code [0, C-1]}
   * @param batchIds {@code (B)} sample indices (dataset positions)
   * @return the number of rows written (rows beyond a class's segment length are dropped)
   */
  public int enqueue(NDArray batchFeatures, NDArray batchLabels, NDArray batchIds) {
    Shape fs = batchFeatures.getShape();
    if (fs.dimension() != 2 || fs.get(1) != featureDim) {
      throw new IllegalArgumentException(
          "batchFeatures must be (B, " + featureDim + "), got " + fs);
    }
    int b = (int) fs.get(0);
    int[] y;
    long[] sampleIds;
    try (NDArray yi = batchLabels.toType(DataType.INT32, true);
        NDArray ii = batchIds.toType(DataType.INT64, true)) {
      y = yi.toIntArray();
      sampleIds = ii.toLongArray();
    }
    if (y.length != b || sampleIds.length != b) {
      throw new IllegalArgumentException(
          "batchLabels and batchIds must have "
              + b
              + " entries, got "
              + y.length
              + " and "
              + sampleIds.length);
    }
    for (int label : y) {
      if (label < 0 || label >= numClasses) {
        throw new IllegalArgumentException(
            "batchLabels must be in [0, " + (numClasses - 1) + "], got " + label);
      }
    }
    if (manager == null) {
      initialize(batchFeatures.getDevice());
    }
    // Slot i takes row source[i] of concat(old features, batch): i itself, or size + j.
    long[] source = new long[size];
    for (int i = 0; i < size; i++) {
      source[i] = i;
    }
    int[] written = new int[numClasses];
    int count = 0;
    for (int j = 0; j < b; j++) {
      int c = y[j];
      if (written[c] >= length[c]) {
        continue;
      }
      int slot = start[c] + (pointer[c] + written[c]) % length[c];
      written[c]++;
      source[slot] = size + (long) j;
      labels[slot] = c;
      ids[slot] = sampleIds[j];
      count++;
    }
    for (int c = 0; c < numClasses; c++) {
      pointer[c] = (pointer[c] + written[c]) % length[c];
    }
    if (count > 0) {
      NDArray old = features;
      try (NDManager scope = manager.newSubManager()) {
        NDArray batch = batchFeatures.stopGradient().toDevice(manager.getDevice(), true);
        batch.attach(scope);
        NDArray fresh = batch.toType(DataType.FLOAT32, false);
        fresh.attach(scope);
        NDArray all = old.concat(fresh, 0);
        all.attach(scope);
        NDArray index = scope.create(source);
        NDArray updated = all.get(index);
        updated.attach(manager);
        features = updated;
      }
      old.close();
      refreshIndexArrays();
    }
    return count;
  }

  /**
   * Writes the whole state: layout, pointers, labels, ids and features (float32).
   *
   * @param os the stream
   */
  public void save(DataOutputStream os) throws IOException {
    os.writeByte(STATE_VERSION);
    os.writeInt(size);
    os.writeInt(featureDim);
    os.writeInt(numClasses);
    for (int c = 0; c < numClasses; c++) {
      os.writeInt(start[c]);
      os.writeInt(length[c]);
      os.writeInt(pointer[c]);
    }
    for (int i = 0; i < size; i++) {
      os.writeInt(labels[i]);
      os.writeLong(ids[i]);
    }
    float[] values = features().toFloatArray();
    for (float v : values) {
      os.writeFloat(v);
    }
  }

  /**
   * Restores a state written by {@link #save} into this queue, which must have the same size,
   * feature dimension and layout.
   *
   * @param is the stream
   * @throws IOException on a version or layout mismatch
   */
  public void load(DataInputStream is) throws IOException {
    byte version = is.readByte();
    if (version != STATE_VERSION) {
      throw new IOException("unsupported class-wise queue state version " + version);
    }
    int savedSize = is.readInt();
    int savedDim = is.readInt();
    int savedClasses = is.readInt();
    if (savedSize != size || savedDim != featureDim || savedClasses != numClasses) {
      throw new IOException(
          String.format(
              "saved queue has K=%d, D=%d, C=%d but this queue has K=%d, D=%d, C=%d",
              savedSize, savedDim, savedClasses, size, featureDim, numClasses));
    }
    int[] newPointer = new int[numClasses];
    for (int c = 0; c < numClasses; c++) {
      int s = is.readInt();
      int l = is.readInt();
      int p = is.readInt();
      if (s != start[c] || l != length[c] || p < 0 || p >= l) {
        throw new IOException(
            "saved queue layout differs at class " + c + " (class counts changed?)");
      }
      newPointer[c] = p;
    }
    int[] newLabels = new int[size];
    long[] newIds = new long[size];
    for (int i = 0; i < size; i++) {
      newLabels[i] = is.readInt();
      newIds[i] = is.readLong();
    }
    float[] values = new float[size * featureDim];
    for (int i = 0; i < values.length; i++) {
      values[i] = is.readFloat();
    }
    ensureInitialized();
    System.arraycopy(newPointer, 0, pointer, 0, numClasses);
    System.arraycopy(newLabels, 0, labels, 0, size);
    System.arraycopy(newIds, 0, ids, 0, size);
    NDArray old = features;
    features = manager.create(values, new Shape(size, featureDim));
    old.close();
    refreshIndexArrays();
  }

  @Override
  public void close() {
    if (manager != null) {
      manager.close();
      manager = null;
      features = null;
      labelArray = null;
      idArray = null;
    }
  }

  private void ensureInitialized() {
    if (manager == null) {
      initialize(Engine.getInstance().defaultDevice());
    }
  }

  private void refreshIndexArrays() {
    NDList old = new NDList();
    if (labelArray != null) {
      old.add(labelArray);
      old.add(idArray);
    }
    labelArray = manager.create(labels);
    idArray = manager.create(ids);
    old.close();
  }

  private static double gaussian(SplittableRandom random) {
    // Box-Muller: explicit and reproducible across JVMs.
    double u1 = 1 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}

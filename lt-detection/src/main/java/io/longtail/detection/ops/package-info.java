/**
 * Engine-specific detection operators behind one small interface ({@link
 * io.longtail.detection.ops.DetectionOps}), so that another DJL engine can provide them later. The
 * MXNet implementation is the only place in the code base that names MXNet operators.
 */
package io.longtail.detection.ops;

/**
 * LT-Shapes: a generated, long-tailed dataset in LVIS v1 format, the toolkit's default data when no
 * LVIS copy is at hand ({@code ./lt synth}, {@link io.longtail.datasets.synth.LtShapesGenerator}).
 *
 * <h2>Layout</h2>
 *
 * <pre>
 * DIR/lvis_v1_train.json        LVIS v1: info, licenses, categories, images, annotations
 * DIR/lvis_v1_val.json          same categories (counts from train), val images
 * DIR/images/train/000001.jpg   image ids 1..N_train
 * DIR/images/val/002001.jpg     image ids N_train+1..N_train+N_val
 * DIR/lt-shapes-long-tail.png   (./lt synth) train images per category, XChart
 * DIR/lt-shapes-samples.png     (./lt synth) annotated examples
 * </pre>
 *
 * Images carry {@code coco_url = "images/train/000001.jpg"}, relative to {@code DIR}, and no {@code
 * file_name}: like LVIS v1, readers take its last two parts ({@code train/000001.jpg}) as the file
 * name, which resolves against the images root {@code DIR/images}.
 *
 * <h2>Categories</h2>
 *
 * A category is a shape (13: circle, ellipse, ring, triangle, square, diamond, trapezoid, pentagon,
 * hexagon, octagon, five- and six-point star, cross) x a texture (filled, outlined, striped) x a
 * colour (16 hues, each in a base and a "deep" shade), up to 1248 categories. Each tail category
 * (less frequent half) is the deep shade of a head category with the same shape and texture, so a
 * classifier biased to the head confuses them; similar shapes of one colour occur too. Ids follow
 * the alphabetical order of names, as in LVIS.
 *
 * <h2>Long tail</h2>
 *
 * Train image counts {@code n_i = max(1, round(n_max * f(i)))} with {@code f} the exponential
 * ({@code R^(-i/(K-1))}) or Zipf profile and {@code R} the imbalance; {@code n_max} makes the mean
 * number of categories per image 1.5. {@code frequency}, {@code image_count} and {@code
 * instance_count} are computed from the annotated train instances (LVIS thresholds: rare 1-10
 * images, common 11-100, frequent above 100). At the defaults (K=60, 2000 train images, R=100,
 * exponential) the groups hold 20 / 29 / 11 categories. Val counts follow the train profile scaled
 * to the val split, with at least 8 images per category so APr is measured on every rare category.
 *
 * <h2>Images and masks</h2>
 *
 * Drawn with OpenCV (anti-aliased, sub-pixel, shifted by half a pixel to COCO's pixel convention)
 * on a gradient with noise, irregular blobs and polylines (no category shape). Sizes are drawn in
 * the COCO small/medium/large area ranges. Shapes may occlude each other: a placement is kept only
 * if every earlier instance keeps at least half its area visible. The annotation of an occluded
 * instance is its visible region, computed exactly on polygons (its outline minus the outlines of
 * the shapes drawn after it, {@link java.awt.geom.Area}), so masks are the drawn pixels up to the
 * rasterisation of the boundary (mean mask IoU with the drawn instance map 0.93 in the tests, the
 * loss being anti-aliased borders of small thin shapes). Holes (rings, outlined shapes, an occluder
 * inside an instance) are written as one "keyhole" polygon per piece: the hole is joined to the
 * outline by a zero-width cut, which is visible as a line when polygons are drawn but adds no area
 * to the mask (COCO merges parts by union, so a hole cannot be a part of its own).
 *
 * <h2>Federated labels</h2>
 *
 * Every image lists 6 {@code neg_category_ids}, sampled among the categories not drawn in it. In
 * 10% of the images that have a category with several instances, a random non-empty proper subset
 * of those instances is drawn but left unannotated, and the category is listed in {@code
 * not_exhaustive_category_ids}.
 *
 * <h2>Determinism</h2>
 *
 * Every random choice comes from a seed derived from {@code --seed} and where it is made
 * (catalogue, assignment, image id), images are written by worker threads but the JSON in id order,
 * so the same arguments give byte-identical files whatever the number of threads.
 */
package io.longtail.datasets.synth;

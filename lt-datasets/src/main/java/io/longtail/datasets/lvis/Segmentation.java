package io.longtail.datasets.lvis;

/**
 * The mask of an annotation as stored in a COCO/LVIS file: polygons, compressed RLE (the COCO
 * string encoding of the counts) or uncompressed RLE (the integer counts of COCO crowd
 * annotations). Rasterisation and RLE arithmetic live in {@code io.longtail.datasets.mask}.
 */
public sealed interface Segmentation
    permits PolygonSegmentation, RleSegmentation, UncompressedRleSegmentation {}

/**
 * Mask R-CNN on top of the causal-norm detector, and the library API that segmentation projects
 * import. Not implemented yet: this module holds only this file until the segmentation issue lands.
 */
package io.longtail.segmentation;

/**
 * Faster R-CNN with FPN whose ROI box heads take foreground/background targets in their training
 * forward and run TDE with background-exempted inference. Not implemented yet: this module holds
 * only this file until the detection issue lands.
 */
package io.longtail.detection;

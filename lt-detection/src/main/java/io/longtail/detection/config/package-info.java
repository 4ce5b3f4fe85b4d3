/**
 * Typed, validated configuration of the detector and its training (records read from YAML with
 * Jackson). Every field has a documented default: a missing YAML key takes it, so a config file
 * only states what differs. Invalid values fail with an error naming the field and the value.
 */
package io.longtail.detection.config;

package io.longtail.detection.config;

/**
 * A category of the model's label space: its dataset id and name. Contiguous class {@code k} of the
 * model is the {@code k}-th category by increasing id (the {@code CategoryIndex} convention).
 *
 * @param id dataset category id
 * @param name category name
 */
public record CategoryRef(int id, String name) {}

package io.longtail.detection.config;

/**
 * Where the data is. Relative paths are resolved against the config file's folder.
 *
 * @param trainAnnotations LVIS/COCO training annotations JSON
 * @param trainImages images root of the training set
 * @param valAnnotations validation annotations JSON
 * @param valImages images root of the validation set
 */
public record DataConfig(
    String trainAnnotations, String trainImages, String valAnnotations, String valImages) {}

/**
 * Engine-level building blocks of the long-tail toolkit: classifiers (causal-norm with TDE and
 * background-exempted inference, linear, cosine), long-tail losses and value types. Nothing in this
 * module reads files.
 */
package io.longtail.core;

/**
 * Input scaling, which is part of the model: fitted on training data, saved with the model, applied before
 * every score and carried into the ONNX graphs.
 */
@NullMarked
package dev.vae.core.scale;

import org.jspecify.annotations.NullMarked;

/**
 * The networks: stacks of dense layers over one flat float32 parameter array, the native
 * {@link dev.vae.core.nn.NativeNetwork}, and {@link dev.vae.core.nn.VaeObjective}, which computes the negative
 * ELBO (or the autoencoder loss) of a minibatch and its exact gradient by backpropagation.
 *
 * <p>Gradient sign convention: every gradient array here holds d(loss)/d(parameter), the direction of steepest
 * <em>ascent</em> of the loss; optimisers subtract it.
 */
@NullMarked
package dev.vae.core.nn;

import org.jspecify.annotations.NullMarked;

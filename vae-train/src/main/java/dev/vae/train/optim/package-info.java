/**
 * Optimisers over flat parameter arrays. They take d(loss)/d(parameter) and subtract a step: the one place the
 * gradient's sign is turned into a descent direction.
 */
@NullMarked
package dev.vae.train.optim;

import org.jspecify.annotations.NullMarked;

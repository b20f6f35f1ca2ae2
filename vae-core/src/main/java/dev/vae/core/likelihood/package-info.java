/**
 * Likelihoods p(x|z): the decoder emits raw parameters, and each likelihood owns its link function, its
 * negative log-density (constants included, in nats), its gradient with respect to the raw parameters, and how
 * to draw from it.
 *
 * <p>Layout: the raw parameters of one row have {@link dev.vae.core.likelihood.Likelihood#rawWidth(int)} values,
 * parameter-major: for a two-parameter likelihood, all first parameters for features 0..d-1, then all second
 * parameters. A likelihood may own some of them ({@link dev.vae.core.likelihood.Likelihood#isOwnParameter}): values
 * the same for every row, which the network holds and writes into each row; the decoder computes the others.
 */
@NullMarked
package dev.vae.core.likelihood;

import org.jspecify.annotations.NullMarked;

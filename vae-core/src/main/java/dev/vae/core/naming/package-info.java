/**
 * Identifiers on the command line and in files: {@link dev.vae.core.naming.Identified}, the one way an enum of the
 * project is named and read back (scores, activations, model types, scalings, point rules, stream-state kinds, Spark
 * null policies). A leaf package, so that every other package may use it without a cycle.
 */
@NullMarked
package dev.vae.core.naming;

import org.jspecify.annotations.NullMarked;

package dev.vae.anomaly.tribuo;

import java.util.Arrays;
import org.tribuo.math.Parameters;
import org.tribuo.math.la.DenseVector;
import org.tribuo.math.la.Tensor;
import org.tribuo.math.protos.ParametersProto;

/**
 * A network's flat float parameters as Tribuo {@link Parameters}: one {@link DenseVector} tensor of all of them, in
 * the network's flat layout, so a Tribuo optimiser keeps one state tensor of that shape ({@link #getEmptyCopy()}).
 *
 * <p>The floats stay the trainer's: {@link #bind} points the view at the array it steps. Reading them
 * ({@link #get()}) widens each to double exactly, into a copy; writing ({@link #set}, {@link #update}) rounds each
 * double result once to the nearest float. {@link #update} adds, as Tribuo's own parameters do: Tribuo's optimisers
 * return what to add to the parameters.
 *
 * <p>Not thread-safe: one run's.
 */
final class FlatParameters implements Parameters {

    private final int size;
    private float[] values;

    /** A view of {@code size} parameters, bound to zeros until {@link #bind} gives it the trainer's array. */
    FlatParameters(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("Invalid parameter count: " + size);
        }
        this.size = size;
        this.values = new float[size];
    }

    /** Points the view at {@code parameters}, the array the next steps update. */
    void bind(float[] parameters) {
        if (parameters.length != size) {
            throw new IllegalArgumentException("The optimiser was made for " + size + " parameters, got "
                    + parameters.length);
        }
        this.values = parameters;
    }

    /** How many parameters the view holds. */
    int size() {
        return size;
    }

    /** One zero {@link DenseVector} of the parameters' size: the shape of an optimiser's state. */
    @Override
    public Tensor[] getEmptyCopy() {
        return new Tensor[] {new DenseVector(size)};
    }

    /** A copy of the parameters, widened to double (changing it changes nothing: {@link #set} writes). */
    @Override
    public Tensor[] get() {
        DenseVector copy = new DenseVector(size);
        for (int i = 0; i < size; i++) {
            copy.set(i, values[i]);
        }
        return new Tensor[] {copy};
    }

    /**
     * Writes {@code tensors}, one plain {@link DenseVector} of the parameters' size, into the parameters, each value
     * rounded to the nearest float.
     *
     * @throws IllegalArgumentException for another shape, or another tensor type: an optimiser that replaces the
     *                                  parameter tensors with its own (Tribuo's {@code Pegasos}, {@code AdaGradRDA})
     *                                  keeps the parameters in them, where the network never sees them
     */
    @Override
    public void set(Tensor[] tensors) {
        DenseVector v = single(tensors, "parameters");
        for (int i = 0; i < size; i++) {
            values[i] = (float) v.get(i);
        }
    }

    /**
     * Adds {@code updates}, one plain {@link DenseVector} of the parameters' size, to the parameters: each sum is taken
     * in double ({@code (double) p + u}) and rounded once to the nearest float.
     *
     * @throws IllegalArgumentException for another shape or tensor type
     */
    @Override
    public void update(Tensor[] updates) {
        DenseVector u = single(updates, "update");
        float[] p = values;
        for (int i = 0; i < size; i++) {
            p[i] = (float) (p[i] + u.get(i));
        }
    }

    /** The elementwise sum of the first {@code count} gradients, each one tensor of the parameters' shape. */
    @Override
    public Tensor[] merge(Tensor[][] gradients, int count) {
        DenseVector sum = new DenseVector(size);
        for (int i = 0; i < count; i++) {
            sum.intersectAndAddInPlace(single(gradients[i], "gradient " + i));
        }
        return new Tensor[] {sum};
    }

    /**
     * Refused: the view lives for one training run and the trained {@code VaeModel} holds its parameters
     * ({@code ModelFile}); there is no Tribuo model of them to serialise.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public ParametersProto serialize() {
        throw new UnsupportedOperationException("A VAE training run's parameter view is not serialised: the trained"
                + " VaeModel holds the parameters (ModelFile)");
    }

    private DenseVector single(Tensor[] tensors, String what) {
        if (tensors.length != 1 || tensors[0].getClass() != DenseVector.class
                || ((DenseVector) tensors[0]).size() != size) {
            String found = tensors.length == 1 ? tensors[0].getClass().getSimpleName() + " of shape "
                    + Arrays.toString(tensors[0].getShape()) : tensors.length + " tensors";
            throw new IllegalArgumentException("A VAE's " + what + " is one DenseVector of " + size
                    + " elements (the network's flat parameters), got " + found + ": optimisers that keep the"
                    + " parameters in tensors of their own (Tribuo's Pegasos, AdaGradRDA) cannot train a VAE");
        }
        return (DenseVector) tensors[0];
    }
}

package dev.vae.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageSetTest {

    @Test
    void givenImagesValues_whenParsed_thenTheirImageSetsInOrder() {
        // "true" is what LongOptions makes of a bare --images: Fashion-MNIST, as before MNIST was added.
        assertThat(ImageSet.parse("true")).containsExactly(ImageSet.FASHION);
        assertThat(ImageSet.parse("fashion")).containsExactly(ImageSet.FASHION);
        assertThat(ImageSet.parse("mnist")).containsExactly(ImageSet.MNIST);
        assertThat(ImageSet.parse("mnist, fashion")).containsExactly(ImageSet.MNIST, ImageSet.FASHION);
    }

    @Test
    void givenAnUnknownEmptyOrRepeatedImageSet_whenParsed_thenRefusedNamingTheOptionAndTheValue() {
        assertThatThrownBy(() -> ImageSet.parse("digits")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown image set 'digits' in --images digits")
                .hasMessageContaining("expected fashion, mnist or fashion,mnist");
        // The run prefix is not an option value: one name for each set on the command line.
        assertThatThrownBy(() -> ImageSet.parse("fashion_mnist")).hasMessageContaining("'fashion_mnist'");
        assertThatThrownBy(() -> ImageSet.parse("fashion,")).hasMessageContaining("Unknown image set '' in --images");
        assertThatThrownBy(() -> ImageSet.parse("mnist,mnist"))
                .hasMessageContaining("Image set 'mnist' named twice in --images mnist,mnist");
    }

    @Test
    void givenRunNames_whenTheirImageSetAndClassAreAsked_thenEachPrefixIsItsOwn() {
        assertThat(ImageSet.MNIST.run(3)).isEqualTo("mnist/3");
        assertThat(ImageSet.FASHION.run(3)).isEqualTo("fashion_mnist/3");
        assertThat(ImageSet.ofRun("mnist/3")).isEqualTo(ImageSet.MNIST);
        assertThat(ImageSet.ofRun("fashion_mnist/7")).isEqualTo(ImageSet.FASHION);
        // "fashion_mnist/7" ends with "mnist/7": only the whole prefix counts.
        assertThat(ImageSet.MNIST.classOf("fashion_mnist/7")).isEqualTo(-1);
        assertThat(ImageSet.FASHION.classOf("fashion_mnist/7")).isEqualTo(7);
        assertThat(ImageSet.ofRun("pima")).isNull();
        assertThat(ImageSet.ofRun("mnist")).isNull();
        assertThat(ImageSet.ofRun("mnist/x")).isNull();
    }

    @Test
    void givenEachImageSet_whenItsFilesAreNamed_thenMnistIsTheHeldOutKindWithItsOwnBaselines() {
        assertThat(ImageSet.FASHION.heldOut()).isFalse();
        assertThat(ImageSet.FASHION.baselinesFile()).isEqualTo("fashion_oneclass_baselines.csv");
        assertThat(ImageSet.FASHION.labelColumn()).isEqualTo("class");
        assertThat(ImageSet.MNIST.heldOut()).isTrue();
        assertThat(ImageSet.MNIST.baselinesFile()).isEqualTo("mnist_oneclass_baselines.csv");
        assertThat(ImageSet.MNIST.labelColumn()).isEqualTo("digit");
    }
}

package dev.flotilla.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.api.Test;

class KeySpecTest {

    @Test
    void parsesCommandLineAlgorithmsAndSizes() {
        assertThat(KeySpec.parse(null, null)).isEqualTo(KeySpec.rsa(2048));
        assertThat(KeySpec.parse("RSA", 4096)).isEqualTo(KeySpec.rsa(4096));
        assertThat(KeySpec.parse("ec", null)).isEqualTo(KeySpec.ec("P-256"));
        assertThat(KeySpec.parse("ec", 384).curve()).isEqualTo("P-384");
        assertThat(KeySpec.ec("secp521r1")).isEqualTo(KeySpec.ec("P-521"));
        assertThat(KeySpec.ec("prime256v1").toString()).isEqualTo("EC P-256");
    }

    @Test
    void rejectsUnknownAlgorithmsAndSizes() {
        assertThatThrownBy(() -> KeySpec.parse("dsa", null)).isInstanceOf(PkiException.class)
                .hasMessageContaining("unknown key algorithm 'dsa'").hasMessageContaining("rsa or ec");
        assertThatThrownBy(() -> KeySpec.parse("rsa", 1024)).hasMessageContaining("2048, 3072 or 4096");
        assertThatThrownBy(() -> KeySpec.parse("ec", 2048)).hasMessageContaining("EC key size 2048 is not supported")
                .hasMessageContaining("P-256, P-384 or P-521");
        assertThatThrownBy(() -> KeySpec.ec("brainpool")).hasMessageContaining("unknown EC curve 'brainpool'");
    }

    @Test
    void generatesKeysOfTheRequestedKind() {
        var rsa = KeySpec.rsa(3072).generate();
        assertThat(((RSAPublicKey) rsa.getPublic()).getModulus().bitLength()).isEqualTo(3072);
        var ec = KeySpec.ec("P-384").generate();
        assertThat(((ECPublicKey) ec.getPublic()).getParams().getOrder().bitLength()).isEqualTo(384);
    }
}

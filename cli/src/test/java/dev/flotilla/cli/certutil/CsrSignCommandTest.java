package dev.flotilla.cli.certutil;

import static dev.flotilla.cli.certutil.CaCommandTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.pki.CertificateInfo;
import dev.flotilla.pki.KeyMatch;
import dev.flotilla.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsrSignCommandTest {

    @TempDir
    Path dir;

    private String caCrt;
    private String caKey;

    @BeforeEach
    void makeCa() throws Exception {
        Certutil.run("ca", "--pem", "--keyalg", "ec", "--out", dir.resolve("ca.zip").toString()).assertOk();
        Certutil.unzip(dir.resolve("ca.zip"), dir);
        caCrt = dir.resolve("ca/ca.crt").toString();
        caKey = dir.resolve("ca/ca.key").toString();
    }

    @Test
    void csrBundleIsSignedBySignAndVerifiedByOpenssl() throws Exception {
        Path zip = dir.resolve("csr-bundle.zip");
        Certutil.run("csr", "--name", "agent-9", "--dns", "agent9.example", "--ip", "10.9.0.9", "--out",
                zip.toString()).assertOk();
        assertThat(Certutil.unzip(zip, dir)).containsExactly("agent-9/agent-9.csr", "agent-9/agent-9.key");
        String req = Openssl.run(dir, "req", "-in", "agent-9/agent-9.csr", "-noout", "-verify", "-text").assertOk()
                .output();
        assertThat(req).contains("Subject: CN = agent-9", "DNS:agent9.example, IP Address:10.9.0.9");

        Path crt = dir.resolve("agent-9.crt");
        var run = Certutil.run("sign", "--csr", dir.resolve("agent-9/agent-9.csr").toString(), "--ca-cert", caCrt,
                "--ca-key", caKey, "--days", "5", "--out", crt.toString()).assertOk();
        assertThat(run.out()).contains("subject=CN=agent-9", "SANs=[DNS:agent9.example, IP:10.9.0.9]");
        assertThat(Certutil.mode(crt)).isEqualTo("rw-------");
        Openssl.run(dir, "verify", "-CAfile", "ca/ca.crt", "-purpose", "sslclient", "agent-9.crt").assertOk();
        KeyMatch.check(Pem.readCertificates(crt).get(0), Pem.readPrivateKey(dir.resolve("agent-9/agent-9.key"), null),
                "csr key");
    }

    @Test
    void csrTakesInstancesFilesAndEncryptsKeysWithPass() throws Exception {
        Path in = Files.writeString(dir.resolve("instances.yml"),
                "instances:\n  - name: a\n    dns: a.example\n  - name: b\n    ip: [192.0.2.2]\n");
        Path zip = dir.resolve("csrs.zip");
        Certutil.run("csr", "--in", in.toString(), "--pass", "kp", "--keyalg", "ec", "--out", zip.toString()).assertOk();
        assertThat(Certutil.unzip(zip, dir)).containsExactly("a/a.csr", "a/a.key", "b/b.csr", "b/b.key");
        assertThat(Openssl.run(dir, "req", "-in", "b/b.csr", "-noout", "-verify", "-text").assertOk().output())
                .contains("IP Address:192.0.2.2");
        Openssl.run(dir, "pkey", "-in", "a/a.key", "-passin", "pass:kp", "-noout").assertOk();
        assertThat(Openssl.run(dir, "pkey", "-in", "a/a.key", "-passin", "pass:other", "-noout").exit()).isNotZero();
    }

    @Test
    void signsRequestsThatOpensslMakesAndAppendsTheChain() throws Exception {
        Openssl.run(dir, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "web.key", "-subj", "/CN=web",
                "-addext", "subjectAltName=DNS:web.example", "-out", "web.csr").assertOk();
        Certutil.run("sign", "--csr", dir.resolve("web.csr").toString(), "--ca-cert", caCrt, "--ca-key", caKey,
                "--chain", "--out", dir.resolve("web.crt").toString()).assertOk();
        var chain = Pem.readCertificates(dir.resolve("web.crt"));
        assertThat(chain).hasSize(2);
        assertThat(CertificateInfo.subjectAltNames(chain.get(0))).containsExactly("DNS:web.example");
        Openssl.run(dir, "verify", "-CAfile", "ca/ca.crt", "-verify_hostname", "web.example", "web.crt").assertOk();
        Openssl.run(dir, "x509", "-in", "web.crt", "-noout", "-checkend", "86400").assertOk();
    }

    @Test
    void badRequestsAndMissingCaAreRejected() throws Exception {
        assertError(Certutil.run("sign", "--csr", caCrt, "--ca-cert", caCrt, "--ca-key", caKey, "--out",
                dir.resolve("x.crt").toString()), 1, "holds no certificate request");
        Openssl.run(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "t.key", "-subj", "/CN=t", "-out", "t.csr").assertOk();
        String pem = Files.readString(dir.resolve("t.csr"));
        int mid = pem.indexOf('\n', 40) + 10;
        char flipped = pem.charAt(mid) == 'A' ? 'B' : 'A';
        Files.writeString(dir.resolve("tampered.csr"), pem.substring(0, mid) + flipped + pem.substring(mid + 1));
        var tampered = Certutil.run("sign", "--csr", dir.resolve("tampered.csr").toString(), "--ca-cert", caCrt,
                "--ca-key", caKey, "--out", dir.resolve("y.crt").toString());
        assertThat(tampered.exit()).isEqualTo(1);
        assertThat(tampered.err()).contains("tampered.csr");
        assertError(Certutil.run("sign", "--csr", dir.resolve("t.csr").toString()), 2, "give the CA that signs");
        assertError(Certutil.run("sign", "--ca-cert", caCrt, "--ca-key", caKey), 2, "--csr");
        assertThat(Files.exists(dir.resolve("x.crt"))).isFalse();
        assertThat(Files.exists(dir.resolve("y.crt"))).isFalse();
    }
}

package dev.flotilla.cli.certutil;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's certutil commands, exactly as written, through the real {@code ./flotilla} launcher in a fresh directory. */
class CertutilLauncherIT {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    private Result flotilla(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("flotilla").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("FLOTILLA_NO_BUILD", "1"); // the jar was just packaged by this build
        Path out = dir.resolve(".out");
        Path err = dir.resolve(".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("flotilla " + String.join(" ", args) + " did not finish");
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    private void unzip(String zip) throws Exception {
        Process p = new ProcessBuilder("unzip", "-q", zip).directory(dir.toFile()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    }

    @Test
    void seedCommandsWorkAsWrittenWithElasticsDefaultFileNames() throws Exception {
        assertThat(ROOT.resolve("cli/target/flotilla-all.jar")).as("packaged CLI jar").exists();

        Result ca = flotilla("certutil", "ca", "--pem");
        assertThat(ca.exit()).as(ca.err()).isZero();
        assertThat(Certutil.mode(dir.resolve("elastic-stack-ca.zip"))).isEqualTo("rw-------");
        unzip("elastic-stack-ca.zip");
        assertThat(Certutil.mode(dir.resolve("ca/ca.key"))).as("unzip keeps the key private").isEqualTo("rw-------");
        assertThat(Certutil.mode(dir.resolve("ca"))).isEqualTo("rwx------");

        Result cert = flotilla("certutil", "cert", "--name", "fleet-server", "--ca-cert", "ca/ca.crt", "--ca-key",
                "ca/ca.key", "--dns", "your.host.name.here", "--ip", "192.0.2.1", "--pem");
        assertThat(cert.exit()).as(cert.err()).isZero();
        unzip("certificate-bundle.zip");
        assertThat(Certutil.mode(dir.resolve("fleet-server/fleet-server.key"))).isEqualTo("rw-------");
        Openssl.run(dir, "verify", "-CAfile", "ca/ca.crt", "-verify_ip", "192.0.2.1",
                "fleet-server/fleet-server.crt").assertOk();

        Result again = flotilla("certutil", "cert", "--name", "fleet-server", "--ca-cert", "ca/ca.crt", "--ca-key",
                "ca/ca.key", "--dns", "your.host.name.here", "--ip", "192.0.2.1", "--pem");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err().strip()).isEqualTo("error: certificate-bundle.zip already exists and will not be "
                + "overwritten; move it away or choose another output file with --out");

        Result p12ca = flotilla("certutil", "ca");
        assertThat(p12ca.exit()).as(p12ca.err()).isZero();
        assertThat(dir.resolve("elastic-stack-ca.p12")).exists();
        Result p12 = flotilla("certutil", "cert", "--ca", "elastic-stack-ca.p12", "--name", "es01");
        assertThat(p12.exit()).as(p12.err()).isZero();
        Openssl.run(dir, "pkcs12", "-in", "elastic-certificates.p12", "-out", "cert.crt", "-clcerts", "-nokeys",
                "-passin", "pass:").assertOk();
        Openssl.run(dir, "pkcs12", "-in", "elastic-certificates.p12", "-out", "private.key", "-nocerts", "-nodes",
                "-passin", "pass:").assertOk();
        assertThat(Files.readString(dir.resolve("private.key"))).contains("BEGIN PRIVATE KEY");
        Result csr = flotilla("certutil", "csr", "--name", "agent");
        assertThat(csr.exit()).as(csr.err()).isZero();
        assertThat(dir.resolve("csr-bundle.zip")).exists();

        Result help = flotilla("certutil", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("ca", "cert", "csr", "sign", "fingerprint", "convert");
        Result noMode = flotilla("certutil");
        assertThat(noMode.exit()).isEqualTo(2);
        assertThat(noMode.err()).contains("certutil needs a mode");
    }

    /** Runs the launcher on a pseudo-terminal (util-linux {@code script}), typing {@code input}. */
    private Result onTerminal(String input, String args) throws Exception {
        String cmd = "FLOTILLA_NO_BUILD=1 " + ROOT.resolve("flotilla") + " " + args;
        Process p = new ProcessBuilder("script", "-q", "-e", "-c", cmd, "/dev/null").directory(dir.toFile())
                .redirectErrorStream(true).start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("flotilla " + args + " did not finish");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8), "");
    }

    @Test
    void asksForPasswordsAndInstancesOnATerminal() throws Exception {
        Result ca = onTerminal("capw\ncapw\n", "certutil ca --pem --pass");
        assertThat(ca.exit()).as(ca.out()).isZero();
        assertThat(ca.out()).contains("Enter password for the CA key", "Repeat password for the CA key");
        unzip("elastic-stack-ca.zip");
        Openssl.run(dir, "pkey", "-in", "ca/ca.key", "-passin", "pass:capw", "-noout").assertOk();

        Result typo = onTerminal("one\ntwo\n", "certutil ca --pem --pass --out typo.zip");
        assertThat(typo.exit()).isEqualTo(1);
        assertThat(typo.out()).contains("the two passwords for the CA key differ");
        assertThat(dir.resolve("typo.zip")).doesNotExist();

        // --multiple asks for the instances, then for the encrypted CA key's password (no --ca-pass given)
        Result many = onTerminal("node-a\na.example\n\nnode-b\n\n10.0.0.2\n\ncapw\n",
                "certutil cert --ca-cert ca/ca.crt --ca-key ca/ca.key --multiple --pem");
        assertThat(many.exit()).as(many.out()).isZero();
        assertThat(many.out()).contains("Enter password for ca/ca.key", "Enter instance name");
        unzip("certificate-bundle.zip");
        Openssl.run(dir, "verify", "-CAfile", "ca/ca.crt", "-verify_hostname", "a.example", "node-a/node-a.crt")
                .assertOk();
        Openssl.run(dir, "verify", "-CAfile", "ca/ca.crt", "-verify_ip", "10.0.0.2", "node-b/node-b.crt").assertOk();

        Result wrong = onTerminal("nope\n", "certutil cert --ca-cert ca/ca.crt --ca-key ca/ca.key --name x --out x.p12");
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.out()).contains("cannot decrypt the private key in ca/ca.key: wrong passphrase");
    }
}

package dev.flotilla.cli.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent's command line without a Fleet Server: validation and errors, each one actionable line. */
class AgentFlagsTest {
    @TempDir
    Path dir;

    private String base() {
        return "--base-path=" + dir.resolve("agent");
    }

    @Test
    void httpUrlNeedsInsecure() {
        CliRun r = CliRun.of("agent", "enroll", base(), "--url=http://127.0.0.1:8220", "--enrollment-token=abc");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errorLine()).contains("plain HTTP").contains("--insecure");
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void missingOrWrongCaFileIsNamed() throws Exception {
        CliRun r = CliRun.of("agent", "enroll", base(), "--url=https://127.0.0.1:8220", "--enrollment-token=abc",
                "--certificate-authorities=" + dir.resolve("nope.crt"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errorLine()).contains("--certificate-authorities").contains("nope.crt");
        Path notCert = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        r = CliRun.of("agent", "enroll", base(), "--url=https://127.0.0.1:8220", "--enrollment-token=abc",
                "--certificate-authorities=" + notCert);
        assertThat(r.errorLine()).contains("key.pem").contains("CERTIFICATE");
    }

    @Test
    void missingUrlAndTokenAreExplained() {
        assertThat(CliRun.of("agent", "enroll", base(), "--enrollment-token=abc").errorLine()).contains("--url is required");
        assertThat(CliRun.of("agent", "enroll", base(), "--url=https://127.0.0.1:1").errorLine())
                .contains("--enrollment-token is required");
    }

    @Test
    void clientKeyGivenTwiceWithTwoKeysIsRefused() throws Exception {
        Path cert = Files.writeString(dir.resolve("a.crt"), "x");
        Path k1 = Files.writeString(dir.resolve("k1.key"), "-----BEGIN PRIVATE KEY-----\n");
        Path k2 = Files.writeString(dir.resolve("k2.key"), "-----BEGIN PRIVATE KEY-----\n");
        CliRun r = CliRun.of("agent", "enroll", base(), "--url=https://127.0.0.1:1", "--enrollment-token=abc",
                "--elastic-agent-cert=" + cert, "--elastic-agent-cert-key=" + k1, "--elastic-agent-cert-key=" + k2);
        assertThat(r.errorLine()).contains("given twice with two keys");
        r = CliRun.of("agent", "enroll", base(), "--url=https://127.0.0.1:1", "--enrollment-token=abc",
                "--elastic-agent-cert=" + cert);
        assertThat(r.errorLine()).contains("needs both --elastic-agent-cert and --elastic-agent-cert-key");
    }

    @Test
    void unreachableUrlIsOneLineWithTheFixAndInstallLeavesNothingBehind() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CliRun r = CliRun.of("agent", "install", base(), "--url=http://127.0.0.1:" + port, "--insecure",
                "--enrollment-token=abc", "--non-interactive");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errorLine()).contains("connection refused").contains("127.0.0.1:" + port).contains("check --url");
        assertThat(r.err().lines().filter(l -> !l.isBlank() && !l.startsWith("warning")).count()).isEqualTo(1);
        assertThat(dir.resolve("agent/flotilla-agent.yml")).doesNotExist();
    }

    @Test
    void statusAndRunWithoutEnrollmentSaySo() {
        CliRun r = CliRun.of("agent", "status", base());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errorLine()).contains("no agent is enrolled").contains("flotilla agent install");
        r = CliRun.of("agent", "run", base());
        assertThat(r.errorLine()).contains("not enrolled").contains("flotilla agent enroll");
    }

    @Test
    void uninstallRefusesADirectoryThatIsNotAnAgent() throws Exception {
        Path other = Files.createDirectories(dir.resolve("precious"));
        Files.writeString(other.resolve("data.txt"), "keep me");
        CliRun r = CliRun.of("agent", "uninstall", "--base-path=" + other, "--force");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errorLine()).contains("does not look like a Flotilla agent installation");
        assertThat(other.resolve("data.txt")).exists();
    }

    @Test
    void delayedEnrollmentIsStoredEncryptedAndInstallSaysHowToStart() throws Exception {
        CliRun r = CliRun.of("agent", "install", base(), "--url=http://127.0.0.1:9", "--insecure",
                "--enrollment-token=secret-token-123", "--delay-enroll", "--tag=a,b", "--tag=c");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("flotilla agent run --base-path " + dir.resolve("agent"));
        Path state = dir.resolve("agent/data/state.enc");
        assertThat(new String(Files.readAllBytes(state), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("secret-token-123");
        CliRun status = CliRun.of("agent", "status", base());
        assertThat(status.out()).contains("pending (--delay-enroll)").contains("no service");
        CliRun again = CliRun.of("agent", "install", base(), "--url=http://127.0.0.1:9", "--insecure",
                "--enrollment-token=x", "--delay-enroll");
        assertThat(again.errorLine()).contains("already installed").contains("--force");
        CliRun un = CliRun.of("agent", "uninstall", base(), "--force");
        assertThat(un.exit()).as(un.err()).isZero();
        assertThat(dir.resolve("agent")).doesNotExist();
    }
}

package dev.flotilla.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.server.FleetServer;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code flotilla server} keeps TLS session-ticket secrets in the data dir; a damaged file is refused with the fix. */
@Timeout(120)
class TicketKeyFileCliTest {
    @TempDir
    Path dir;

    @Test
    void theServerCreatesTheTicketKeyFileAndRefusesADamagedOneNamingTheFix() throws Exception {
        Path data = dir.resolve("data");
        Path keys = data.resolve("tls-ticket.keys");
        try (FleetServer server = ServerCommandTest.start(new StringWriter(), "server", "--fleet-server-port=0",
                "--data-dir=" + data, "--system-cert-dir=" + dir.resolve("none"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rw-------");
        }

        Files.writeString(keys, "v1 yesterday AAAA\n");
        ServerCommandTest.Run r = ServerCommandTest.execute("server", "--fleet-server-port=0", "--data-dir=" + data,
                "--system-cert-dir=" + dir.resolve("none"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(keys.toAbsolutePath().toString()).contains("line 1")
                .contains("delete it and start the Fleet Server again").doesNotContain("Exception");
    }
}

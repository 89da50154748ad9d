package dev.flotilla.cli.agent;

import java.nio.file.Path;

/**
 * The agent command lines of the seeds (/work/shared/seeds), verbatim. {@link #localize} changes only what a test
 * machine cannot have: the seed's example host and port become localhost and a free port, and its example
 * absolute paths (/path/to/..., /tmp/...) are placed under the test's temporary directory.
 */
final class Seeds {
    /** 000: install a Fleet Server with TLS (one-way to Elasticsearch, client certificates required from agents). */
    static final String FLEET_SERVER_TLS = "sudo ./elastic-agent install \\ --url=https://192.0.2.1:8220 \\ "
            + "--fleet-server-es=https://192.0.2.0:9200 \\ --fleet-server-service-token=AAEBAWVsYXm0aWMvZmxlZXQtc2XydmVyL3Rva2VuLTE2MjM4OTAztDU1OTQ6dllfVW1mYnFTVjJwTC2ZQ0EtVnVZQQ \\ "
            + "--fleet-server-policy=fleet-server-policy \\ --fleet-server-es-ca=/path/to/elasticsearch-ca.crt \\ "
            + "--certificate-authorities=/path/to/ca.crt \\ --fleet-server-cert=/path/to/fleet-server.crt \\ "
            + "--fleet-server-cert-key=/path/to/fleet-server.key \\ --fleet-server-port=8220 \\ "
            + "--elastic-agent-cert=/tmp/fleet-server.crt \\ --elastic-agent-cert-key=/tmp/fleet-server.key \\ "
            + "--elastic-agent-cert-key-passphrase=/tmp/fleet-server/passphrase-file \\ "
            + "--fleet-server-es-cert=/tmp/fleet-server.crt \\ --fleet-server-es-cert-key=/tmp/fleet-server.key \\ "
            + "--fleet-server-client-auth=required";

    /** 000: install an agent enrolled with a token, trusting the Fleet Server's CA. */
    static final String AGENT_TLS = "sudo elastic-agent install --url=https://192.0.2.1:8220 \\ "
            + "--enrollment-token=<string> \\ --certificate-authorities=/path/to/ca.crt";

    /** 001: one-way TLS Fleet Server. */
    static final String ONE_WAY = """
            elastic-agent install --url=https://your-fleet-server.elastic.co:443 \\
            --certificate-authorities=/path/to/fleet-ca \\
            --fleet-server-es=https://es.elastic.com:443 \\
            --fleet-server-es-ca=/path/to/es-ca \\
            --fleet-server-cert=/path/to/fleet-cert \\
            --fleet-server-cert-key=/path/to/fleet-cert-key \\
            --fleet-server-service-token=FLEET-SERVER-SERVICE-TOKEN \\
            --fleet-server-policy=FLEET-SERVER-POLICY-ID \\
            --fleet-server-port=8220
            """;

    /** 001: mutual TLS Fleet Server (note the repeated --elastic-agent-cert-key, the second being the passphrase). */
    static final String MUTUAL = """
            elastic-agent install --url=https://your-fleet-server.elastic.co:443 \\
            --certificate-authorities=/path/to/fleet-ca,/path/to/agent-ca \\
            --elastic-agent-cert=/path/to/agent-cert \\
            --elastic-agent-cert-key=/path/to/agent-cert-key \\
            --elastic-agent-cert-key=/path/to/agent-cert-key-passphrase \\
            --fleet-server-es=https://es.elastic.com:443 \\
            --fleet-server-es-ca=/path/to/es-ca \\
            --fleet-server-es-cert=/path/to/fleet-es-cert \\
            --fleet-server-es-cert-key=/path/to/fleet-es-cert-key \\
            --fleet-server-cert=/path/to/fleet-cert \\
            --fleet-server-cert-key=/path/to/fleet-cert-key \\
            --fleet-server-client-auth=required \\
            --fleet-server-service-token=FLEET-SERVER-SERVICE-TOKEN \\
            --fleet-server-policy=FLEET-SERVER-POLICY-ID \\
            --fleet-server-port=8220
            """;

    private Seeds() {
    }

    /**
     * The seed's arguments after the program name, for this machine: example URL -> https://localhost:port,
     * --fleet-server-port -> port, /path/to and /tmp paths under {@code root}, {@code <string>} -> token; and
     * {@code --base-path} under {@code root} (the default /opt/Flotilla/Agent needs root).
     */
    static String[] localize(String seed, Path root, int port, String token, String basePath) {
        String s = seed.replace("https://192.0.2.1:8220", "https://localhost:" + port)
                .replace("https://your-fleet-server.elastic.co:443", "https://localhost:" + port)
                .replace("--fleet-server-port=8220", "--fleet-server-port=" + port)
                .replace("=/path/to/", "=\u0000/path/to/")
                .replace(",/path/to/", ",\u0000/path/to/")
                .replace("=/tmp/", "=\u0000/tmp/")
                .replace("\u0000", root.toString())
                .replace("<string>", token == null ? "<string>" : token);
        String[] words = CliRun.words(s);
        String[] args = new String[words.length + 1];
        System.arraycopy(words, 1, args, 1, words.length - 1);
        args[0] = "agent";
        args[args.length - 1] = "--base-path=" + basePath;
        return args;
    }
}

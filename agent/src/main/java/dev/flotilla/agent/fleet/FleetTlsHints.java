package dev.flotilla.agent.fleet;

import dev.flotilla.tls.TlsProblem;

/** Which agent flag fixes a TLS problem on the agent -> Fleet Server hop. */
final class FleetTlsHints {
    static final String SETTINGS_HINT = " (these come from --certificate-authorities, --ca-sha256,"
            + " --elastic-agent-cert, --elastic-agent-cert-key and --elastic-agent-cert-key-passphrase)";

    private FleetTlsHints() {
    }

    static String hint(TlsProblem problem) {
        if (problem == null) {
            return "";
        }
        return switch (problem) {
            case UNKNOWN_CA -> ". Fix: pass the CA that signed Fleet Server's certificate with --certificate-authorities"
                    + " (or --insecure for a self-signed certificate you accept unverified)";
            case HOSTNAME_MISMATCH -> ". Fix: use a --url host that the certificate names, or re-issue Fleet Server's"
                    + " certificate for this host";
            case PIN_MISMATCH, FINGERPRINT_NOT_PRESENTED, FINGERPRINT_NOT_A_CA -> ". Fix: check --ca-sha256";
            case CLIENT_CERTIFICATE_MISSING -> ". Fix: Fleet Server requires a client certificate; pass"
                    + " --elastic-agent-cert and --elastic-agent-cert-key (and --elastic-agent-cert-key-passphrase)";
            case CLIENT_CERTIFICATE_REJECTED -> ". Fix: use an --elastic-agent-cert issued by a CA in Fleet Server's"
                    + " --certificate-authorities, and not expired";
            case SETTINGS -> SETTINGS_HINT;
            default -> "";
        };
    }
}

package dev.flotilla.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.pki.Fingerprints;
import dev.flotilla.pki.Pem;
import dev.flotilla.pki.PkiException;
import dev.flotilla.server.http.Json;
import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * The checks every saved {@code ssl} map, fingerprint and host list goes through: inline PEM must parse, a
 * fingerprint is 64 hex digits (colons allowed, stored without), hosts are URLs, and https when TLS settings are
 * given. Paths are not opened: they name files on the agents' hosts.
 */
final class TlsFieldCheck {
    private static final Set<String> MODES = Set.of("full", "strict", "certificate", "none");
    private static final Set<String> KNOWN = Set.of("certificate_authorities", "certificate", "key",
            "key_passphrase", "key_passphrase_path", "verification_mode", "ca_trusted_fingerprint", "ca_sha256",
            "supported_protocols", "cipher_suites", "curve_types", "enabled", "renegotiation");

    private TlsFieldCheck() {
    }

    /** The map normalized (certificate_authorities always a list), or a 400 naming the bad field. */
    static ObjectNode ssl(JsonNode ssl, String field) {
        if (ssl == null || ssl.isNull() || ssl.isMissingNode()) {
            return Json.object();
        }
        if (!ssl.isObject()) {
            throw ManagementError.invalid(field, "must be a map of ssl settings (certificate_authorities,"
                    + " certificate, key, verification_mode)");
        }
        ObjectNode out = ((ObjectNode) ssl).deepCopy();
        out.fieldNames().forEachRemaining(name -> {
            if (!KNOWN.contains(name)) {
                throw ManagementError.invalid(field + "." + name, "unknown ssl setting; expected one of "
                        + new java.util.TreeSet<>(KNOWN));
            }
        });
        JsonNode cas = out.get("certificate_authorities");
        if (cas != null && !cas.isNull()) {
            ArrayNode list = cas.isArray() ? (ArrayNode) cas : Json.array().add(cas);
            for (int i = 0; i < list.size(); i++) {
                String f = field + ".certificate_authorities[" + i + "]";
                if (!list.get(i).isTextual() || list.get(i).asText().isBlank()) {
                    throw ManagementError.invalid(f, "must be a file path or a pasted PEM certificate");
                }
                certificates(list.get(i).asText(), f);
            }
            out.set("certificate_authorities", list);
        }
        JsonNode cert = out.get("certificate");
        if (cert != null && cert.isTextual()) {
            certificates(cert.asText(), field + ".certificate");
        }
        JsonNode key = out.get("key");
        if (key != null && key.isTextual() && key.asText().contains("-----BEGIN")
                && !key.asText().matches("(?s).*-----BEGIN [A-Z ]*PRIVATE KEY-----.+-----END [A-Z ]*PRIVATE KEY-----.*")) {
            throw ManagementError.invalid(field + ".key", "the pasted PEM holds no complete PRIVATE KEY block");
        }
        JsonNode mode = out.get("verification_mode");
        if (mode != null && !mode.isNull() && !MODES.contains(mode.asText())) {
            throw ManagementError.invalid(field + ".verification_mode", "'" + mode.asText() + "' is not one of "
                    + "full, strict, certificate, none");
        }
        JsonNode fp = out.get("ca_trusted_fingerprint");
        if (fp != null && !fp.isNull()) {
            out.put("ca_trusted_fingerprint", fingerprint(fp.asText(), field + ".ca_trusted_fingerprint"));
        }
        return out;
    }

    /** An inline PEM must hold parseable certificates; anything without "-----BEGIN" is a path on the agents. */
    static void certificates(String value, String field) {
        if (!value.contains("-----BEGIN")) {
            if (value.contains("\n")) {
                throw ManagementError.invalid(field, "looks neither like a file path nor like a PEM certificate"
                        + " (no '-----BEGIN CERTIFICATE-----' line)");
            }
            return;
        }
        try {
            if (Pem.parseCertificates(value, field).isEmpty()) {
                throw ManagementError.invalid(field, "the pasted PEM holds no CERTIFICATE block");
            }
        } catch (PkiException | IllegalArgumentException e) {
            throw ManagementError.invalid(field, "the pasted PEM certificate does not parse: " + e.getMessage());
        }
    }

    /** 64 hex digits, colons allowed; returned lower-case without colons (the form agents compare). */
    static String fingerprint(String value, String field) {
        try {
            return Fingerprints.normalizeHex(value);
        } catch (PkiException e) {
            throw ManagementError.invalid(field, "'" + value + "' is not a SHA-256 fingerprint: expected 64 hex"
                    + " digits (colons allowed), as 'flotilla certutil fingerprint ca.crt' prints it");
        }
    }

    /** The URLs as a list; each http(s) with a host; https when {@code tls} is true. */
    static ArrayNode hosts(JsonNode hosts, String field, boolean tls, String tlsWhy) {
        if (hosts == null || !hosts.isArray() || hosts.isEmpty()) {
            throw ManagementError.invalid(field, "at least one URL is required, e.g. [\"https://192.0.2.0:9200\"]");
        }
        ArrayNode out = Json.array();
        for (int i = 0; i < hosts.size(); i++) {
            String f = field + "[" + i + "]";
            String h = hosts.get(i).asText("").trim();
            URI u;
            try {
                u = URI.create(h);
            } catch (IllegalArgumentException e) {
                throw ManagementError.invalid(f, "'" + h + "' is not a URL: " + e.getMessage());
            }
            if (u.getScheme() == null || !List.of("http", "https").contains(u.getScheme()) || u.getHost() == null) {
                throw ManagementError.invalid(f, "'" + h + "' is not an http(s) URL with a host; write e.g."
                        + " https://192.0.2.0:9200");
            }
            if (tls && !u.getScheme().equals("https")) {
                throw ManagementError.invalid(f, "'" + h + "' is not https, but TLS settings are given (" + tlsWhy
                        + "); use https://" + u.getRawAuthority() + " or remove the TLS settings");
            }
            out.add(h);
        }
        return out;
    }
}

package dev.flotilla.tls.internal;

import dev.flotilla.pki.CertificateInfo;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Checks that a server certificate names the host the client connected to: an IP literal against the IP SANs,
 * a DNS name against the DNS SANs (one leading wildcard label allowed), the CN only when there are no DNS SANs
 * and the check is not strict. Returns null on a match, else the reason as a sentence with the fix.
 */
public final class HostnameMatcher {

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private HostnameMatcher() {
    }

    public static String mismatch(X509Certificate leaf, String host, boolean strict) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        List<String> sans = CertificateInfo.subjectAltNames(leaf);
        if (isIpLiteral(h)) {
            byte[] wanted = ipBytes(h);
            for (String ip : names(leaf, SAN_IP)) {
                if (wanted != null && Arrays.equals(wanted, ipBytes(ip))) {
                    return null;
                }
            }
            return "the server certificate for " + h + " has no IP SAN " + h + " (SANs: " + sans
                    + "); regenerate it with --ip " + h + " or use verification_mode: certificate";
        }
        String name = h.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        List<String> dns = names(leaf, SAN_DNS);
        for (String pattern : dns) {
            if (matches(pattern, name)) {
                return null;
            }
        }
        if (dns.isEmpty() && !strict) {
            String cn = commonName(leaf);
            if (cn != null && matches(cn, name)) {
                return null;
            }
            return "the server certificate for " + name + " has no DNS SAN and its CN " + cn + " is not " + name
                    + " (SANs: " + sans + "); regenerate it with --dns " + name
                    + " or use verification_mode: certificate";
        }
        return "the server certificate for " + name + " has no DNS SAN " + name + " (SANs: " + sans + ")"
                + (strict && dns.isEmpty() ? " and verification_mode: strict never falls back to the CN" : "")
                + "; regenerate it with --dns " + name + " or use verification_mode: certificate";
    }

    static boolean matches(String pattern, String name) {
        String p = pattern.toLowerCase(Locale.ROOT);
        if (p.endsWith(".")) {
            p = p.substring(0, p.length() - 1);
        }
        if (!p.startsWith("*.")) {
            return p.equals(name);
        }
        int dot = name.indexOf('.');
        return dot > 0 && p.substring(1).equals(name.substring(dot)) && p.indexOf('*', 1) < 0;
    }

    static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static byte[] ipBytes(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress(); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static List<String> names(X509Certificate cert, int type) {
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans == null) {
                return List.of();
            }
            return sans.stream().filter(s -> (Integer) s.get(0) == type).map(s -> String.valueOf(s.get(1))).toList();
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static String commonName(X509Certificate cert) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }

    /** True when the certificate carries at least one DNS or IP SAN. */
    public static boolean hasSans(X509Certificate cert) {
        return !names(cert, SAN_DNS).isEmpty() || !names(cert, SAN_IP).isEmpty();
    }
}

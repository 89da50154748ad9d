package dev.flotilla.pki;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** One-line descriptions of certificates for error messages and logs. */
public final class CertificateInfo {

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private CertificateInfo() {
    }

    /** "subject=..., issuer=..., SANs=[DNS:a, IP:b], valid &lt;from&gt;..&lt;to&gt;, sha256=&lt;hex&gt;". */
    public static String describe(X509Certificate certificate) {
        return "subject=" + certificate.getSubjectX500Principal().getName()
                + ", issuer=" + certificate.getIssuerX500Principal().getName()
                + ", SANs=" + subjectAltNames(certificate)
                + ", valid " + certificate.getNotBefore().toInstant() + ".." + certificate.getNotAfter().toInstant()
                + ", sha256=" + Fingerprints.sha256Hex(certificate);
    }

    /** The DNS and IP subject alternative names as "DNS:name" / "IP:address", in certificate order. */
    public static List<String> subjectAltNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == SAN_DNS) {
                        names.add("DNS:" + san.get(1));
                    } else if (type == SAN_IP) {
                        names.add("IP:" + san.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            names.add("<unreadable: " + e.getMessage() + ">");
        }
        return names;
    }
}

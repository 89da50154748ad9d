package dev.flotilla.tls.internal;

import dev.flotilla.pki.CertificateInfo;
import dev.flotilla.tls.TlsProblem;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXCertPathChecker;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates a presented chain (leaf first) against a set of trusted CA certificates with PKIX, after checking each
 * certificate's validity dates itself so that those failures get their own message. Returns the verified path
 * including the trust anchor. Revocation is not checked (Elastic does not either).
 */
public final class ChainVerifier {

    private static final String EKU_OID = "2.5.29.37";

    private final List<X509Certificate> anchors;
    private final String anchorsDescription;

    /**
     * @param anchors trusted CA certificates
     * @param anchorsDescription what they are, for messages ("ssl.certificate_authorities (ca.crt)")
     */
    public ChainVerifier(List<X509Certificate> anchors, String anchorsDescription) {
        this.anchors = List.copyOf(anchors);
        this.anchorsDescription = anchorsDescription;
    }

    public List<X509Certificate> anchors() {
        return anchors;
    }

    public String anchorsDescription() {
        return anchorsDescription;
    }

    /**
     * @param presented the chain the peer sent, leaf first
     * @param extraAnchors further trusted certificates for this handshake (a fingerprint-pinned CA)
     * @param who "the server at host:port" / "the client at addr", for messages
     * @return the verified path from the leaf to the trust anchor (inclusive)
     */
    public List<X509Certificate> verify(List<X509Certificate> presented, List<X509Certificate> extraAnchors,
            String who) throws PeerCertificateException {
        List<X509Certificate> trusted = new ArrayList<>(anchors);
        trusted.addAll(extraAnchors);
        List<X509Certificate> path = new ArrayList<>();
        X509Certificate anchor = null;
        X509Certificate current = presented.get(0);
        Set<X509Certificate> unused = new HashSet<>(presented);
        while (anchor == null) {
            if (trusted.contains(current)) {
                anchor = current;
                break;
            }
            checkDates(current, path.size(), who);
            path.add(current);
            unused.remove(current);
            X509Certificate issuer = issuerAmong(current, trusted);
            if (issuer != null) {
                anchor = issuer;
                break;
            }
            X509Certificate next = issuerAmong(current, unused);
            if (next == null || path.size() > 10) {
                throw new PeerCertificateException(TlsProblem.UNKNOWN_CA, who + " presented a certificate chain "
                        + "that no trusted CA signed: " + KeyMaterial.describe(presented) + "; trusted: "
                        + anchorsDescription + ". No trusted CA is '" + current.getIssuerX500Principal().getName()
                        + "'");
            }
            current = next;
        }
        checkDates(anchor, path.size(), who);
        if (!path.isEmpty()) {
            validate(path, anchor, who);
        }
        path.add(anchor);
        return List.copyOf(path);
    }

    private static void validate(List<X509Certificate> path, X509Certificate anchor, String who)
            throws PeerCertificateException {
        try {
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
            params.setRevocationEnabled(false);
            params.setDate(new Date());
            params.addCertPathChecker(new ExtendedKeyUsageClaim());
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
        } catch (CertPathValidatorException e) {
            String cert = e.getIndex() >= 0 && e.getIndex() < path.size()
                    ? " at " + CertificateInfo.describe(path.get(e.getIndex())) : "";
            throw new PeerCertificateException(TlsProblem.UNKNOWN_CA, who + " presented a certificate chain that "
                    + "does not verify against the trusted CA " + CertificateInfo.describe(anchor) + " (" + e.getReason()
                    + cert + ": " + e.getMessage() + ")", e);
        } catch (GeneralSecurityException e) {
            throw new PeerCertificateException(TlsProblem.OTHER, "cannot validate the chain " + who
                    + " presented: " + e, e);
        }
    }

    private static void checkDates(X509Certificate cert, int index, String who) throws PeerCertificateException {
        String which = index == 0 ? "certificate" : "chain certificate";
        try {
            cert.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new PeerCertificateException(TlsProblem.EXPIRED, who + " presented a " + which + " that expired "
                    + "at " + cert.getNotAfter().toInstant() + ": " + CertificateInfo.describe(cert)
                    + "; issue a new certificate (and replace the file) or check this machine's clock", e);
        } catch (CertificateNotYetValidException e) {
            throw new PeerCertificateException(TlsProblem.NOT_YET_VALID, who + " presented a " + which
                    + " that is not valid until " + cert.getNotBefore().toInstant() + ": "
                    + CertificateInfo.describe(cert) + "; check the clocks of both machines", e);
        }
    }

    private static X509Certificate issuerAmong(X509Certificate cert, Collection<X509Certificate> candidates) {
        for (X509Certificate c : candidates) {
            if (c.getSubjectX500Principal().equals(cert.getIssuerX500Principal()) && signedBy(cert, c)) {
                return c;
            }
        }
        return null;
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** True when the certificate has an extended key usage extension that lacks {@code oid}. */
    public static boolean lacksUsage(X509Certificate cert, String oid) {
        try {
            List<String> eku = cert.getExtendedKeyUsage();
            return eku != null && !eku.contains(oid) && !eku.contains("2.5.29.37.0");
        } catch (java.security.cert.CertificateParsingException e) {
            return true;
        }
    }

    /** Tells PKIX that extended key usage is handled (by the trust managers), so a critical EKU does not fail. */
    private static final class ExtendedKeyUsageClaim extends PKIXCertPathChecker {
        @Override
        public void init(boolean forward) {
        }

        @Override
        public boolean isForwardCheckingSupported() {
            return true;
        }

        @Override
        public Set<String> getSupportedExtensions() {
            return Set.of(EKU_OID);
        }

        @Override
        public void check(java.security.cert.Certificate cert, Collection<String> unresolvedCritExts) {
            unresolvedCritExts.remove(EKU_OID);
        }
    }
}

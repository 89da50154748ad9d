package dev.flotilla.tls.internal;

import dev.flotilla.tls.TlsProblem;
import io.netty.handler.ssl.OpenSslCertificateException;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.internal.tcnative.CertificateVerifier;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLEngine;

/**
 * Makes BoringSSL send the TLS alert that says why a peer certificate was rejected (unknown_ca,
 * certificate_expired, unsupported_certificate, bad_certificate) instead of a generic one: Netty passes the X.509
 * error code of an {@link OpenSslCertificateException} to BoringSSL, which picks the alert from it. The
 * {@link PeerCertificateException} with the full diagnosis stays the cause, where {@code TlsDiagnostics} finds it.
 * The JDK engine picks its alerts itself, so for it the exception is thrown as it is.
 */
public final class RejectionAlerts {

    private RejectionAlerts() {
    }

    /** What to throw from a trust manager called by {@code engine} for this rejection. */
    public static CertificateException forEngine(PeerCertificateException rejection, SSLEngine engine) {
        if (!(engine instanceof ReferenceCountedOpenSslEngine)) {
            return rejection;
        }
        return new OpenSslCertificateException(rejection.getMessage(), rejection, errorCode(rejection.problem()));
    }

    static int errorCode(TlsProblem problem) {
        return switch (problem) {
            case UNKNOWN_CA -> CertificateVerifier.X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
            case EXPIRED -> CertificateVerifier.X509_V_ERR_CERT_HAS_EXPIRED;
            case NOT_YET_VALID -> CertificateVerifier.X509_V_ERR_CERT_NOT_YET_VALID;
            case WRONG_USAGE -> CertificateVerifier.X509_V_ERR_INVALID_PURPOSE;
            case OTHER -> CertificateVerifier.X509_V_ERR_UNSPECIFIED;
            default -> CertificateVerifier.X509_V_ERR_CERT_REJECTED;
        };
    }
}

package dev.flotilla.tls.internal;

import dev.flotilla.tls.TlsProblem;
import java.security.cert.CertificateException;

/** Thrown by Flotilla's trust managers: a peer certificate was rejected; the message is the full diagnosis. */
public final class PeerCertificateException extends CertificateException {
    private static final long serialVersionUID = 1L;

    private final TlsProblem problem;

    public PeerCertificateException(TlsProblem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public PeerCertificateException(TlsProblem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public TlsProblem problem() {
        return problem;
    }
}

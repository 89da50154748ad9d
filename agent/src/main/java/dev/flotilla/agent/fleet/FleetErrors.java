package dev.flotilla.agent.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.agent.tls.AgentTls;
import dev.flotilla.tls.ClientTls;
import dev.flotilla.tls.TlsException;
import dev.flotilla.tls.TlsProblem;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLException;

/** Words every failure of a Fleet Server request as one line: what happened, at which URL, how to fix it. */
final class FleetErrors {
    private final URI base;
    private final String host;
    private final int port;
    private final ClientTls tls;

    FleetErrors(URI base, ClientTls tls) {
        this.base = base;
        this.tls = tls;
        this.host = base.getHost();
        this.port = FleetUrls.port(base);
    }

    FleetUnreachableException unreachable(String what, IOException e) {
        String target = "Fleet Server at " + origin();
        if (hasCause(e, UnknownHostException.class) || hasCause(e, java.nio.channels.UnresolvedAddressException.class)) {
            return new FleetUnreachableException("cannot resolve host '" + host + "' of " + target
                    + "; check the host name in --url", e);
        }
        if (e instanceof HttpConnectTimeoutException) {
            return new FleetUnreachableException(target + " did not accept a connection within 10s; check --url,"
                    + " the firewall and that Fleet Server is running", e);
        }
        if (hasCause(e, ConnectException.class)) {
            return new FleetUnreachableException("cannot connect to " + target + ": connection refused (nothing"
                    + " listens on " + host + ":" + port + "); check --url and that Fleet Server is running", e);
        }
        if (e instanceof HttpTimeoutException) {
            return new FleetUnreachableException(target + " did not answer the " + what + " in time; it may be"
                    + " overloaded or a proxy is holding the request", e);
        }
        if ("https".equals(base.getScheme())) {
            TlsException diagnosis = hasCause(e, SSLException.class) ? AgentTls.explain(e, tls, host, port) : null;
            TlsProblem problem = diagnosis == null ? TlsProblem.OTHER : diagnosis.problem();
            boolean unclear = problem == TlsProblem.OTHER;
            if (problem == TlsProblem.PLAIN_HTTP_PEER
                    || unclear && ProtocolProbe.speaksPlainHttp(host, port) && !ProtocolProbe.speaksTls(host, port)) {
                return new FleetUnreachableException(target + " speaks plain HTTP, not HTTPS: use --url=http://"
                        + host + ":" + port + " with --insecure, or enable TLS on Fleet Server", e);
            }
            if (diagnosis != null) {
                if (unclear && ClientCertificateProbe.serverRequestsCertificate(host, port)) {
                    return new FleetUnreachableException(clientCertificateProblem(), e);
                }
                return new FleetUnreachableException(diagnosis.getMessage() + FleetTlsHints.hint(problem), e);
            }
        } else if (ProtocolProbe.speaksTls(host, port)) {
            return new FleetUnreachableException(httpsNeeded(), e);
        }
        return new FleetUnreachableException("the " + what + " request to " + target + " failed: "
                + describe(e) + "; check --url and the network path (proxy: --proxy-url/--proxy-disabled)", e);
    }

    private String httpsNeeded() {
        return "Fleet Server at " + origin() + " speaks HTTPS, not plain HTTP: use --url=https://" + host + ":" + port
                + " (with --certificate-authorities, or --insecure for a self-signed certificate)";
    }

    private String clientCertificateProblem() {
        Object cert = tls == null ? null : tls.settings().certificate();
        if (cert == null) {
            return "Fleet Server at " + origin() + " requires a client certificate (mutual TLS) and none was given"
                    + FleetTlsHints.hint(TlsProblem.CLIENT_CERTIFICATE_MISSING);
        }
        return "Fleet Server at " + origin() + " refused the client certificate " + cert + " during the TLS"
                + " handshake" + FleetTlsHints.hint(TlsProblem.CLIENT_CERTIFICATE_REJECTED);
    }

    FleetApiException status(String what, int status, JsonNode body) {
        String type = body == null ? "" : body.path("error").asText("");
        String detail = body == null ? "" : body.path("message").asText("");
        String answer = status + (type.isEmpty() ? "" : " " + type) + (detail.isEmpty() ? "" : ": " + detail);
        String fix;
        if ("enroll".equals(what) && "ErrAgentNotReplaceable".equals(type)) {
            fix = "--id names an agent that is already enrolled; pass that agent's --replace-token, or another --id";
        } else if ("enroll".equals(what) && (status == 401 || status == 403 || status == 404)) {
            fix = "the enrollment token was rejected; check --enrollment-token (it must be an active token of"
                    + " this Fleet, e.g. from `flotilla fleet tokens create --policy=ID`)";
        } else if (status == 401 || status == 403 || status == 404) {
            fix = "this agent's credentials are no longer accepted (unenrolled or key revoked); enroll again"
                    + " with `flotilla agent enroll --force ...`";
        } else if (status == 400 && "http".equals(base.getScheme()) && ProtocolProbe.speaksTls(host, port)) {
            // a TLS listener answers plain HTTP with a 400 of its own (not a Fleet API error)
            return new FleetApiException(status, type, httpsNeeded());
        } else if (status == 400) {
            fix = "the request was refused as malformed; check that " + base + " is a Fleet Server of a"
                    + " compatible version";
        } else if (status == 429 || status == 503 || status == 499) {
            fix = "Fleet Server is busy or shutting down; the agent retries with backoff";
        } else {
            fix = "check Fleet Server's log";
        }
        return new FleetApiException(status, type, "Fleet Server at " + origin() + " refused the " + what + " ("
                + answer + "): " + fix);
    }

    private String origin() {
        return base.getScheme() + "://" + host + ":" + port;
    }

    private static Throwable rootOf(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        Throwable r = rootOf(e);
        return r.getClass().getSimpleName() + (r.getMessage() == null ? "" : " (" + r.getMessage() + ")");
    }
}

package dev.flotilla.cli.agent;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The enrollment flags of {@code install} and {@code enroll}, named as {@code elastic-agent}'s. */
public final class EnrollOptions {
    @Option(names = "--url", paramLabel = "<url>", description = "Fleet Server URL, e.g. https://fleet.example.com:8220")
    String url;

    @Option(names = {"-t", "--enrollment-token"}, paramLabel = "<token>", description = "Enrollment token of the policy to join")
    String enrollmentToken;

    @Option(names = {"-a", "--certificate-authorities"}, split = ",", paramLabel = "<file>",
            description = "CA certificates (PEM files, comma-separated) that Fleet Server's certificate must chain to;"
                    + " with --fleet-server-* also the CAs of the client certificates Fleet Server accepts")
    List<Path> certificateAuthorities = new ArrayList<>();

    @Option(names = {"-p", "--ca-sha256"}, paramLabel = "<pin>",
            description = "Base64 SHA-256 of a CA's public key (SPKI) that Fleet Server's chain must contain")
    String caSha256;

    @Option(names = {"-i", "--insecure"}, description = "Do not verify Fleet Server's certificate (needed for http:// URLs)")
    boolean insecure;

    @Option(names = "--elastic-agent-cert", paramLabel = "<file>", description = "Client certificate (PEM) for mutual TLS to Fleet Server")
    Path agentCert;

    @Option(names = "--elastic-agent-cert-key", paramLabel = "<file>",
            description = "Private key (PEM) of --elastic-agent-cert. Given a second time with a file that is not a key,"
                    + " that file is read as the key's passphrase (as Elastic's mTLS guide writes it)")
    List<Path> agentCertKey = new ArrayList<>();

    @Option(names = "--elastic-agent-cert-key-passphrase", paramLabel = "<file>",
            description = "File holding only the passphrase of --elastic-agent-cert-key")
    Path agentCertKeyPassphrase;

    @Option(names = "--tag", split = ",", paramLabel = "<tag>", description = "Tag for the agent (repeatable)")
    List<String> tags = new ArrayList<>();

    @Option(names = {"-f", "--force"}, description = "Overwrite an existing installation or enrollment without asking")
    boolean force;

    @Option(names = {"-n", "--non-interactive"}, description = "Do not prompt (install and enroll never prompt; accepted for compatibility)")
    boolean nonInteractive;

    @Option(names = "--delay-enroll", description = "Store the enrollment and perform it when the agent first runs")
    boolean delayEnroll;

    @Option(names = "--proxy-url", paramLabel = "<url>", description = "HTTP proxy for the connection to Fleet Server")
    String proxyUrl;

    @Option(names = "--proxy-disabled", description = "Use no proxy, even one from the environment")
    boolean proxyDisabled;

    @Option(names = "--id", paramLabel = "<id>", description = "Agent id to enroll with (default: Fleet Server picks one)")
    String id;

    @Option(names = "--replace-token", paramLabel = "<token>", description = "Token that allows a later enrollment to replace this agent's id")
    String replaceToken;
}

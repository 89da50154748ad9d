package dev.flotilla.pki;

import dev.flotilla.pki.internal.Bc;
import dev.flotilla.pki.internal.Signers;
import dev.flotilla.pki.internal.SubjectNames;
import java.io.IOException;
import java.io.StringReader;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A PKCS#10 certificate signing request: the subject, requested DNS/IP names and public key.
 *
 * @param subject RFC 4514 subject DN
 * @param dns requested DNS names
 * @param ips requested IP addresses
 * @param publicKey the key to certify
 * @param encoded the DER encoding
 */
public record CertificateRequest(String subject, List<String> dns, List<String> ips, PublicKey publicKey,
                                 byte[] encoded) {

    public CertificateRequest {
        dns = List.copyOf(dns);
        ips = List.copyOf(ips);
        encoded = encoded.clone();
    }

    @Override
    public byte[] encoded() {
        return encoded.clone();
    }

    /** Makes and signs a request for {@code CN=<cn>} with the given SANs. */
    public static CertificateRequest create(KeyPair keyPair, String cn, List<String> dns, List<String> ips) {
        X500Name subject = SubjectNames.commonName(cn);
        List<String> d = dns.stream().map(SubjectNames::dnsName).toList();
        List<String> i = ips.stream().map(SubjectNames::ipAddress).toList();
        try {
            var builder = new JcaPKCS10CertificationRequestBuilder(subject, keyPair.getPublic());
            GeneralNames sans = SubjectNames.altNames(d, i);
            if (sans != null) {
                ExtensionsGenerator ext = new ExtensionsGenerator();
                ext.addExtension(Extension.subjectAlternativeName, false, sans);
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
            }
            PKCS10CertificationRequest csr = builder.build(Signers.signer(keyPair.getPrivate()));
            return new CertificateRequest(SubjectNames.toString(subject), d, i,
                    keyPair.getPublic(), csr.getEncoded());
        } catch (IOException e) {
            throw new PkiException("cannot build the certificate request for " + cn + ": " + e.getMessage(), e);
        }
    }

    /** Reads and verifies the self-signature of a PEM {@code CERTIFICATE REQUEST}. */
    public static CertificateRequest parse(String pem, String source) {
        Object o;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            o = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new PkiException("cannot read a certificate request from " + source + " (" + e.getMessage()
                    + "); give a PEM file holding '-----BEGIN CERTIFICATE REQUEST-----'", e);
        }
        if (!(o instanceof PKCS10CertificationRequest csr)) {
            throw new PkiException(source + " holds no certificate request; give a PEM file holding "
                    + "'-----BEGIN CERTIFICATE REQUEST-----' (made by 'flotilla certutil csr' or 'openssl req')");
        }
        try {
            JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(csr);
            PublicKey key = jca.getPublicKey();
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(Bc.PROVIDER).build(csr.getSubjectPublicKeyInfo()))) {
                throw new PkiException("the certificate request in " + source + " has a bad signature; "
                        + "it was altered or damaged, make it again");
            }
            List<String> dns = new ArrayList<>();
            List<String> ips = new ArrayList<>();
            Extensions ext = csr.getRequestedExtensions();
            GeneralNames sans = ext == null ? null : GeneralNames.fromExtensions(ext, Extension.subjectAlternativeName);
            if (sans != null) {
                for (GeneralName n : sans.getNames()) {
                    if (n.getTagNo() == GeneralName.dNSName) {
                        dns.add(n.getName().toString());
                    } else if (n.getTagNo() == GeneralName.iPAddress) {
                        byte[] raw = org.bouncycastle.asn1.ASN1OctetString.getInstance(n.getName()).getOctets();
                        ips.add(java.net.InetAddress.getByAddress(raw).getHostAddress());
                    }
                }
            }
            return new CertificateRequest(SubjectNames.toString(csr.getSubject()),
                    dns, ips, key, csr.getEncoded());
        } catch (PkiException e) {
            throw e;
        } catch (PKCSException | OperatorCreationException | IOException | java.security.GeneralSecurityException
                 | RuntimeException e) {
            throw new PkiException("cannot read the certificate request in " + source + ": " + e.getMessage()
                    + "; make it again with 'flotilla certutil csr' or 'openssl req -new'", e);
        }
    }

    /** The request as a PEM {@code CERTIFICATE REQUEST} block. */
    public String pem() {
        return Pem.block("CERTIFICATE REQUEST", encoded);
    }
}

package io.aegis.gateway.auth.jwt.internal;

import io.jsonwebtoken.security.AsymmetricJwk;
import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.JwkSet;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.KeyOperation;
import io.jsonwebtoken.security.PrivateJwk;
import java.io.ByteArrayInputStream;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;

/** Turns JWKS documents and PEM text into {@link VerificationKey}s. */
public final class KeyLoader {

    private static final System.Logger LOG = System.getLogger(KeyLoader.class.getName());
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private KeyLoader() {
    }

    /**
     * Parses a JWK Set. Keys that cannot verify signatures here are skipped with a log line:
     * symmetric ({@code oct}) keys unless {@code allowSymmetric}, keys of unsupported types, and
     * keys whose {@code use}/{@code key_ops} exclude verification are kept but never accepted.
     * Private members are dropped (only the public half is used).
     *
     * @throws IllegalArgumentException when the document is not a JWK Set
     */
    public static List<VerificationKey> fromJwks(String json, boolean allowSymmetric) {
        JwkSet set;
        try {
            set = Jwks.setParser().ignoreUnsupported(true).build().parse(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a JWK Set: " + e.getMessage(), e);
        }
        List<VerificationKey> out = new ArrayList<>();
        for (Jwk<?> jwk : set.getKeys()) {
            Jwk<?> pub = jwk instanceof PrivateJwk<?, ?, ?> priv ? priv.toPublicJwk() : jwk;
            Key key = pub.toKey();
            if (key instanceof SecretKey && !allowSymmetric) {
                LOG.log(System.Logger.Level.WARNING, "JWKS key " + jwk.getId()
                        + " is symmetric (kty oct); ignored: HMAC keys are never taken from a key set");
                continue;
            }
            if (!(key instanceof PublicKey) && !(key instanceof SecretKey)) {
                continue;
            }
            boolean usable = true;
            if (pub instanceof AsymmetricJwk<?> a && a.getPublicKeyUse() != null && !"sig".equals(a.getPublicKeyUse())) {
                usable = false;
            }
            Set<KeyOperation> ops = pub.getOperations();
            if (ops != null && !ops.isEmpty() && ops.stream().noneMatch(o -> "verify".equals(o.getId()))) {
                usable = false;
            }
            out.add(new VerificationKey(jwk.getId(), jwk.getAlgorithm(), key, usable));
        }
        return out;
    }

    /**
     * Parses PEM text holding one or more {@code PUBLIC KEY} or {@code CERTIFICATE} blocks
     * (RSA, EC or Ed25519/Ed448).
     *
     * @throws IllegalArgumentException when no key can be read, naming the block that failed
     */
    public static List<VerificationKey> fromPem(String pem) {
        List<VerificationKey> out = new ArrayList<>();
        Matcher m = PEM.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            PublicKey key = switch (type) {
                case "PUBLIC KEY" -> publicKey(der);
                case "CERTIFICATE" -> certificateKey(der);
                default -> throw new IllegalArgumentException("PEM block " + type
                        + " (expected: PUBLIC KEY or CERTIFICATE)");
            };
            out.add(new VerificationKey(null, null, key, true));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no PEM block found (expected: -----BEGIN PUBLIC KEY----- ...)");
        }
        return out;
    }

    private static PublicKey publicKey(byte[] der) {
        for (String alg : List.of("RSA", "EC", "Ed25519", "Ed448")) {
            try {
                return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
            } catch (Exception ignored) {
                // try the next key type
            }
        }
        throw new IllegalArgumentException("PEM PUBLIC KEY is not an RSA, EC or EdDSA key");
    }

    private static PublicKey certificateKey(byte[] der) {
        try {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            return cert.getPublicKey();
        } catch (Exception e) {
            throw new IllegalArgumentException("PEM CERTIFICATE cannot be read: " + e.getMessage(), e);
        }
    }
}

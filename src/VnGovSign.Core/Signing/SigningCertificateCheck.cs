using System.Security.Cryptography.X509Certificates;

namespace VnGovSign;

/// <summary>
/// The pre-sign check of the signing certificate (the certificate whose key is about to sign): every
/// format's prepare step runs it before anything is written and before a token, HSM or remote service
/// is asked to sign, so a certificate that every verifier would reject is refused at once.
/// </summary>
/// <remarks>
/// <para>Checked: the validity period at the signing time (RFC 5280 §4.1.2.5, both ends inclusive);
/// the key usage, when the extension is present, must assert digitalSignature or nonRepudiation
/// (RFC 5280 §4.2.1.3; no keyUsage extension means any use); and an extended key usage that names only
/// id-kp-timeStamping and/or id-kp-OCSPSigning (a TSA or OCSP responder certificate, RFC 5280 §4.2.1.12)
/// is refused. Any other extended key usage (emailProtection, clientAuth, documentSigning,
/// anyExtendedKeyUsage, vendor-specific purposes…) is accepted: Vietnamese CAs issue varied ones.</para>
/// <para>Not checked: the certificate path and revocation. Signing may happen offline, and the verifier
/// checks both at validation time; the B-LT and B-LTA levels collect the revocation data anyway.</para>
/// </remarks>
public static class SigningCertificateCheck
{
    private const string TimeStampingOid = "1.3.6.1.5.5.7.3.8";
    private const string OcspSigningOid = "1.3.6.1.5.5.7.3.9";

    /// <summary>Refuses <paramref name="certificate"/> when it cannot make a valid signature at <paramref name="at"/>.</summary>
    /// <param name="certificate">The signer's certificate.</param>
    /// <param name="at">The signing time the format writes (normally <see cref="SignatureOptions.Clock"/>'s now).</param>
    /// <exception cref="SigningException">
    /// The certificate is not yet valid (<see cref="MessageKeys.SignerCertificateNotYetValid"/>) or has expired
    /// (<see cref="MessageKeys.SignerCertificateExpired"/>) at <paramref name="at"/>, its key usage allows neither
    /// digitalSignature nor nonRepudiation (<see cref="MessageKeys.SignerKeyUsageNotForSigning"/>), or its extended
    /// key usage is for timestamping or OCSP responses only (<see cref="MessageKeys.SignerExtendedKeyUsageNotForSigning"/>).
    /// The arguments are the certificate's subject, then the date concerned (UTC) and the signing time (UTC).
    /// </exception>
    public static void Ensure(X509Certificate2 certificate, DateTimeOffset at)
    {
        if (certificate is null) throw new ArgumentNullException(nameof(certificate));
        var atUtc = at.UtcDateTime;
        var notBefore = certificate.NotBefore.ToUniversalTime();
        var notAfter = certificate.NotAfter.ToUniversalTime();
        if (atUtc < notBefore)
            throw new SigningException(MessageKeys.SignerCertificateNotYetValid, null, certificate.Subject, notBefore, atUtc);
        if (atUtc > notAfter)
            throw new SigningException(MessageKeys.SignerCertificateExpired, null, certificate.Subject, notAfter, atUtc);

        foreach (var extension in certificate.Extensions)
        {
            switch (extension.Oid?.Value)
            {
                case "2.5.29.15":
                    var ku = new X509KeyUsageExtension(extension, extension.Critical).KeyUsages;
                    if ((ku & (X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation)) == 0)
                        throw new SigningException(MessageKeys.SignerKeyUsageNotForSigning, null, certificate.Subject, KeyUsageNames(ku));
                    break;
                case "2.5.29.37":
                    var purposes = new X509EnhancedKeyUsageExtension(extension, extension.Critical).EnhancedKeyUsages
                        .Cast<System.Security.Cryptography.Oid>().Select(o => o.Value ?? "").ToList();
                    if (purposes.Count > 0 && purposes.All(p => p is TimeStampingOid or OcspSigningOid))
                        throw new SigningException(MessageKeys.SignerExtendedKeyUsageNotForSigning, null, certificate.Subject,
                            string.Join(", ", purposes.Select(p => p == TimeStampingOid ? "id-kp-timeStamping" : "id-kp-OCSPSigning")));
                    break;
            }
        }
    }

    /// <summary>The RFC 5280 names of the bits ("keyEncipherment, dataEncipherment"), "none" when no bit is set.</summary>
    private static string KeyUsageNames(X509KeyUsageFlags flags)
    {
        var names = new List<string>();
        void Add(X509KeyUsageFlags bit, string name) { if ((flags & bit) != 0) names.Add(name); }
        Add(X509KeyUsageFlags.DigitalSignature, "digitalSignature");
        Add(X509KeyUsageFlags.NonRepudiation, "nonRepudiation");
        Add(X509KeyUsageFlags.KeyEncipherment, "keyEncipherment");
        Add(X509KeyUsageFlags.DataEncipherment, "dataEncipherment");
        Add(X509KeyUsageFlags.KeyAgreement, "keyAgreement");
        Add(X509KeyUsageFlags.KeyCertSign, "keyCertSign");
        Add(X509KeyUsageFlags.CrlSign, "cRLSign");
        Add(X509KeyUsageFlags.EncipherOnly, "encipherOnly");
        Add(X509KeyUsageFlags.DecipherOnly, "decipherOnly");
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }
}

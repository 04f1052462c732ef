using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using VnGovSign.Testing;
using VnGovSign.Trust;
using VnGovSign.Validation;

namespace VnGovSign.Core.Tests;

/// <summary>RFC 5280 §6 path validation: each case is a chain built to break exactly one rule.</summary>
public sealed class PathValidationTests : IClassFixture<PkiFixture>
{
    private static readonly DateTimeOffset At = CertFactory.T;
    private readonly PkiFixture _f;
    private readonly CertFactory _make = new();

    public PathValidationTests(PkiFixture f) => _f = f;

    private static ValidationPolicy NoRevocation => ValidationPolicy.Default with { Revocation = RevocationMode.None, FetchMissingIssuers = false };

    private static Task<CertificateValidationResult> Validate(Issued root, Issued leaf, IEnumerable<Issued> intermediates,
        ValidationPolicy? policy = null, CertificateUsage usage = CertificateUsage.Signing, DateTimeOffset? at = null) =>
        new CertificateValidator(TrustStore.Empty.With(new[] { root.Certificate }), policy ?? NoRevocation)
            .ValidateAsync(leaf.Certificate, at ?? At, intermediates.Select(i => i.Certificate), usage);

    private static void Fails(CertificateValidationResult r, Indication indication, SubIndication sub, string key)
    {
        Assert.True(r.Indication == indication && r.SubIndication == sub,
            $"got {r.Indication}/{r.SubIndication}: " + string.Join(" | ", r.Messages.Select(m => m.Key + " " + m.ToText(Messages.English))));
        Assert.Contains(r.Messages, m => m.Key == key && m.Severity == ReportSeverity.Error);
    }

    [Fact]
    public async Task A_well_formed_three_certificate_chain_passes()
    {
        var root = _make.Root();
        var ca = _make.Ca("CA", root, pathLen: 0);
        var leaf = _make.Leaf("Người ký", ca);
        var r = await Validate(root, leaf, new[] { ca });
        Assert.Equal(Indication.TotalPassed, r.Indication);
        Assert.Equal(3, r.Path.Count);
        Assert.Equal(root.Certificate.RawData, r.Anchor!.Certificate.RawData);
        Assert.Equal(new[] { leaf.Certificate.Subject, ca.Certificate.Subject, root.Certificate.Subject }, r.Certificates.Select(c => c.Subject));
        // Revocation off: said so per certificate, without changing the indication.
        Assert.Contains(r.Messages, m => m.Key == MessageKeys.RevocationNotChecked);
    }

    [Fact]
    public async Task The_test_pki_leader_passes_and_its_expired_and_future_people_do_not()
    {
        var trust = TrustStore.Empty.With(new[] { _f.Pki.Root.Certificate });
        var v = new CertificateValidator(trust, NoRevocation);
        var good = await v.ValidateAsync(_f.Pki.Leader.Certificate, PkiFixture.Now, _f.Pki.Leader.Chain);
        Assert.Equal(Indication.TotalPassed, good.Indication);

        var expired = await v.ValidateAsync(_f.Pki.Expired.Certificate, PkiFixture.Now, _f.Pki.Expired.Chain);
        Fails(expired, Indication.Indeterminate, SubIndication.OutOfBoundsNoPoe, MessageKeys.CertificateExpired);
        var future = await v.ValidateAsync(_f.Pki.NotYetValid.Certificate, PkiFixture.Now, _f.Pki.NotYetValid.Chain);
        Fails(future, Indication.TotalFailed, SubIndication.NotYetValid, MessageKeys.CertificateNotYetValid);

        // The same expired certificate was good while it was valid: validation at a time in the past.
        var past = await v.ValidateAsync(_f.Pki.Expired.Certificate, PkiFixture.Now.AddDays(-60), _f.Pki.Expired.Chain);
        Assert.Equal(Indication.TotalPassed, past.Indication);
    }

    [Fact]
    public async Task A_signature_by_another_key_under_the_issuers_name_finds_no_chain()
    {
        var root = _make.Root();
        var ca = _make.Ca("CA", root);
        var forger = _make.Key();
        var leaf = _make.Leaf("Người ký", ca, signWith: forger.Private);
        var r = await Validate(root, leaf, new[] { ca });
        Fails(r, Indication.Indeterminate, SubIndication.NoCertificateChainFound, MessageKeys.UnknownIssuer);
    }

    [Fact]
    public async Task A_forged_intermediate_signature_in_a_given_path_is_rejected()
    {
        var root = _make.Root();
        var other = _make.Root("Other Root");
        // Same subject and key as a real CA, but signed by another root's key under this root's name.
        var ca = _make.Ca("CA", root, signWith: other.Key.Private);
        var leaf = _make.Leaf("Người ký", ca);
        var r = await Validate(root, leaf, new[] { ca });
        Assert.NotEqual(Indication.TotalPassed, r.Indication);
        Assert.Equal(SubIndication.NoCertificateChainFound, r.SubIndication);
    }

    [Fact]
    public async Task A_path_longer_than_pathLenConstraint_allows_is_a_chain_constraints_failure()
    {
        var root = _make.Root();
        var ca1 = _make.Ca("CA 1", root, pathLen: 0);
        var ca2 = _make.Ca("CA 2", ca1);
        var leaf = _make.Leaf("Người ký", ca2);
        var r = await Validate(root, leaf, new[] { ca1, ca2 });
        Fails(r, Indication.Indeterminate, SubIndication.ChainConstraintsFailure, MessageKeys.PathLengthExceeded);

        // The same shape with room for one more CA passes: the failure is the constraint, not the shape.
        var ok1 = _make.Ca("CA 1b", root, pathLen: 1);
        var ok2 = _make.Ca("CA 2b", ok1);
        var okLeaf = _make.Leaf("Người ký", ok2);
        Assert.Equal(Indication.TotalPassed, (await Validate(root, okLeaf, new[] { ok1, ok2 })).Indication);
    }

    [Fact]
    public async Task A_ca_without_keyCertSign_may_not_issue()
    {
        var root = _make.Root();
        var ca = _make.Ca("CA", root, keyUsage: KeyUsage.DigitalSignature | KeyUsage.CrlSign);
        var leaf = _make.Leaf("Người ký", ca);
        var r = await Validate(root, leaf, new[] { ca });
        Fails(r, Indication.Indeterminate, SubIndication.ChainConstraintsFailure, MessageKeys.CaNotAllowed);
    }

    [Fact]
    public async Task An_end_entity_certificate_may_not_act_as_a_ca()
    {
        var root = _make.Root();
        var notCa = _make.Ca("Not a CA", root, basicConstraintsCa: false, keyUsage: KeyUsage.KeyCertSign | KeyUsage.DigitalSignature);
        var leaf = _make.Leaf("Người ký", notCa);
        var r = await Validate(root, leaf, new[] { notCa });
        Fails(r, Indication.Indeterminate, SubIndication.ChainConstraintsFailure, MessageKeys.CaNotAllowed);
    }

    [Fact]
    public async Task A_signer_needs_digitalSignature_or_nonRepudiation()
    {
        var root = _make.Root();
        var ca = _make.Ca("CA", root);
        var encryptOnly = _make.Leaf("Chỉ mã hóa", ca, keyUsage: KeyUsage.KeyEncipherment);
        var r = await Validate(root, encryptOnly, new[] { ca });
        Fails(r, Indication.Indeterminate, SubIndication.ChainConstraintsFailure, MessageKeys.KeyUsageNotForSigning);
        // For no particular purpose the same path is fine.
        Assert.Equal(Indication.TotalPassed, (await Validate(root, encryptOnly, new[] { ca }, usage: CertificateUsage.Any)).Indication);
        // nonRepudiation alone is enough for a signer.
        var nr = _make.Leaf("Chống chối bỏ", ca, keyUsage: KeyUsage.NonRepudiation);
        Assert.Equal(Indication.TotalPassed, (await Validate(root, nr, new[] { ca })).Indication);
    }

    [Fact]
    public async Task Tsa_and_ocsp_purposes_need_their_extended_key_usage()
    {
        var trust = TrustStore.Empty.With(new[] { _f.Pki.Root.Certificate });
        var v = new CertificateValidator(trust, NoRevocation);
        Assert.Equal(Indication.TotalPassed, (await v.ValidateAsync(_f.Pki.Tsa.Certificate, PkiFixture.Now, _f.Pki.Tsa.Chain, CertificateUsage.Timestamping)).Indication);
        Fails(await v.ValidateAsync(_f.Pki.Leader.Certificate, PkiFixture.Now, _f.Pki.Leader.Chain, CertificateUsage.Timestamping),
            Indication.Indeterminate, SubIndication.ChainConstraintsFailure, MessageKeys.EkuTimestampingMissing);
        Assert.Equal(Indication.TotalPassed, (await v.ValidateAsync(_f.Pki.Ocsp.Certificate, PkiFixture.Now, _f.Pki.Ocsp.Chain, CertificateUsage.OcspSigning)).Indication);
        Fails(await v.ValidateAsync(_f.Pki.Leader.Certificate, PkiFixture.Now, _f.Pki.Leader.Chain, CertificateUsage.OcspSigning),
            Indication.Indeterminate, SubIndication.ChainConstraintsFailure, MessageKeys.EkuOcspSigningMissing);
    }

    [Fact]
    public async Task Name_constraints_of_a_ca_bind_the_subjects_below_it()
    {
        var root = _make.Root();
        var permitted = new X509Name(new[] { X509Name.C, X509Name.O }, new[] { "VN", "Tỉnh Tây Ninh" });
        var ca = _make.Ca("CA", root, extra: g => g.AddExtension(X509Extensions.NameConstraints, true,
            NameConstraints.GetInstance(new DerSequence(new DerTaggedObject(false, 0, new DerSequence(new GeneralSubtree(new GeneralName(permitted))))))));
        var inside = _make.Leaf("Trong", ca, subject: new X509Name(new[] { X509Name.C, X509Name.O, X509Name.CN }, new[] { "VN", "Tỉnh Tây Ninh", "Trong" }));
        var outside = _make.Leaf("Ngoài", ca, subject: new X509Name(new[] { X509Name.C, X509Name.O, X509Name.CN }, new[] { "VN", "Tỉnh Bình Dương", "Ngoài" }));
        Assert.Equal(Indication.TotalPassed, (await Validate(root, inside, new[] { ca })).Indication);
        Fails(await Validate(root, outside, new[] { ca }), Indication.Indeterminate, SubIndication.ChainConstraintsFailure, MessageKeys.NameConstraintsViolated);
    }

    [Fact]
    public async Task Initial_policy_set_with_explicit_policy_accepts_only_the_named_policy()
    {
        var trust = TrustStore.Empty.With(new[] { _f.Pki.Root.Certificate });
        var stateBody = NoRevocation with { InitialPolicies = new[] { TestPki.StateBodyPolicyOid }, ExplicitPolicyRequired = true };
        var other = NoRevocation with { InitialPolicies = new[] { "2.16.704.1.2.99" }, ExplicitPolicyRequired = true };
        var ok = await new CertificateValidator(trust, stateBody).ValidateAsync(_f.Pki.Leader.Certificate, PkiFixture.Now, _f.Pki.Leader.Chain);
        Assert.Equal(Indication.TotalPassed, ok.Indication);
        var bad = await new CertificateValidator(trust, other).ValidateAsync(_f.Pki.Leader.Certificate, PkiFixture.Now, _f.Pki.Leader.Chain);
        Fails(bad, Indication.Indeterminate, SubIndication.ChainConstraintsFailure, MessageKeys.PolicyConstraintsFailed);
    }

    [Fact]
    public async Task A_cas_requireExplicitPolicy_rejects_a_leaf_without_policies()
    {
        var root = _make.Root();
        var ca = _make.Ca("CA", root, extra: g =>
        {
            CertFactory.Policies(g, TestPki.StateBodyPolicyOid);
            g.AddExtension(X509Extensions.PolicyConstraints, true, new DerSequence(new DerTaggedObject(false, 0, DerInteger.ValueOf(0))));
        });
        var without = _make.Leaf("Không chính sách", ca);
        var with = _make.Leaf("Có chính sách", ca, extra: g => CertFactory.Policies(g, TestPki.StateBodyPolicyOid));
        Fails(await Validate(root, without, new[] { ca }), Indication.Indeterminate, SubIndication.ChainConstraintsFailure, MessageKeys.PolicyConstraintsFailed);
        Assert.Equal(Indication.TotalPassed, (await Validate(root, with, new[] { ca })).Indication);
    }

    [Fact]
    public async Task Inhibit_any_policy_stops_anyPolicy_from_satisfying_an_explicit_policy()
    {
        var root = _make.Root();
        var ca = _make.Ca("CA", root, extra: g => CertFactory.Policies(g, CertFactory.AnyPolicy));
        var leaf = _make.Leaf("Người ký", ca, extra: g => CertFactory.Policies(g, CertFactory.AnyPolicy));
        var explicitAny = NoRevocation with { ExplicitPolicyRequired = true };
        Assert.Equal(Indication.TotalPassed, (await Validate(root, leaf, new[] { ca }, explicitAny)).Indication);
        Fails(await Validate(root, leaf, new[] { ca }, explicitAny with { InhibitAnyPolicy = true }),
            Indication.Indeterminate, SubIndication.ChainConstraintsFailure, MessageKeys.PolicyConstraintsFailed);

        // The same through the CA's own inhibitAnyPolicy extension (skipCerts 0).
        var inhibiting = _make.Ca("CA inhibit", root, extra: g =>
        {
            CertFactory.Policies(g, CertFactory.AnyPolicy);
            g.AddExtension(X509Extensions.InhibitAnyPolicy, true, DerInteger.ValueOf(0));
        });
        var below = _make.Leaf("Người ký 2", inhibiting, extra: g => CertFactory.Policies(g, CertFactory.AnyPolicy));
        Fails(await Validate(root, below, new[] { inhibiting }, explicitAny),
            Indication.Indeterminate, SubIndication.ChainConstraintsFailure, MessageKeys.PolicyConstraintsFailed);
    }

    [Fact]
    public async Task Policy_mapping_is_followed_unless_inhibited()
    {
        const string issuerPolicy = "2.16.704.1.1.1.1.1", subjectPolicy = "1.3.6.1.4.1.99999.7.1";
        var root = _make.Root();
        var ca = _make.Ca("CA", root, extra: g =>
        {
            CertFactory.Policies(g, issuerPolicy);
            g.AddExtension(X509Extensions.PolicyMappings, true, new DerSequence(new DerSequence(new DerObjectIdentifier(issuerPolicy), new DerObjectIdentifier(subjectPolicy))));
        });
        var leaf = _make.Leaf("Người ký", ca, extra: g => CertFactory.Policies(g, subjectPolicy));
        var wanted = NoRevocation with { InitialPolicies = new[] { issuerPolicy }, ExplicitPolicyRequired = true };
        Assert.Equal(Indication.TotalPassed, (await Validate(root, leaf, new[] { ca }, wanted)).Indication);
        Fails(await Validate(root, leaf, new[] { ca }, wanted with { InhibitPolicyMapping = true }),
            Indication.Indeterminate, SubIndication.ChainConstraintsFailure, MessageKeys.PolicyConstraintsFailed);
    }

    [Fact]
    public async Task An_unknown_critical_extension_invalidates_the_path_and_a_non_critical_one_does_not()
    {
        var root = _make.Root();
        var ca = _make.Ca("CA", root);
        var critical = _make.Leaf("Critical", ca, extra: g => g.AddExtension(new DerObjectIdentifier("1.3.6.1.4.1.99999.1"), true, DerNull.Instance));
        var plain = _make.Leaf("Plain", ca, extra: g => g.AddExtension(new DerObjectIdentifier("1.3.6.1.4.1.99999.1"), false, DerNull.Instance));
        Fails(await Validate(root, critical, new[] { ca }), Indication.Indeterminate, SubIndication.CertificateChainGeneralFailure, MessageKeys.PathInvalid);
        Assert.Equal(Indication.TotalPassed, (await Validate(root, plain, new[] { ca })).Indication);
    }

    [Fact]
    public async Task Missing_intermediate_is_an_unknown_issuer_and_a_foreign_root_is_untrusted()
    {
        var root = _make.Root();
        var ca = _make.Ca("CA", root);
        var leaf = _make.Leaf("Người ký", ca);
        Fails(await Validate(root, leaf, Array.Empty<Issued>()), Indication.Indeterminate, SubIndication.NoCertificateChainFound, MessageKeys.UnknownIssuer);

        var foreign = _make.Root("Foreign Root");
        var fca = _make.Ca("Foreign CA", foreign);
        var fleaf = _make.Leaf("Người ký", fca);
        var r = await Validate(root, fleaf, new[] { fca, foreign });
        Fails(r, Indication.Indeterminate, SubIndication.NoCertificateChainFound, MessageKeys.UntrustedRoot);
        Assert.Null(r.Anchor);
        Assert.Equal(3, r.Certificates.Count); // the partial path is still reported, certificate by certificate
    }

    [Fact]
    public async Task Known_intermediates_of_the_store_complete_a_leaf_only_path()
    {
        var root = _make.Root();
        var ca = _make.Ca("CA", root);
        var leaf = _make.Leaf("Người ký", ca);
        var trust = TrustStore.Empty.With(new[] { root.Certificate }).WithIntermediates(new[] { ca.Certificate });
        var r = await new CertificateValidator(trust, NoRevocation).ValidateAsync(leaf.Certificate, At);
        Assert.Equal(Indication.TotalPassed, r.Indication);
        Assert.Equal(3, r.Path.Count);
    }
}

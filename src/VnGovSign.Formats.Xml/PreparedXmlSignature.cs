using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace VnGovSign.Formats.Xml;

/// <summary>
/// An XML signature between <see cref="XmlSigner.Prepare"/> and <see cref="XmlSigner.CompleteAsync"/>:
/// SignedInfo's digest for the signer, and everything needed to finish (it survives a restart through
/// <see cref="Serialize"/> / <see cref="Deserialize"/>).
/// </summary>
public sealed class PreparedXmlSignature : IPreparedSignature
{
    private const int Version = 1;
    private readonly List<TextEdit> _edits;
    private readonly ElementSpan _container;
    private readonly string _open, _close;

    internal PreparedXmlSignature(byte[] document, string name, List<TextEdit> edits, ElementSpan container, string open, string close, string template,
        string signatureId, byte[] digest, HashAlgorithmName hash, RsaPadding padding, KeyAlgorithm keyAlgorithm, X509Certificate2 certificate,
        IReadOnlyList<X509Certificate2> chain)
    {
        Document = document; Name = name; _edits = edits; _container = container; _open = open; _close = close; Template = template;
        SignatureId = signatureId; DigestBytes = digest; Hash = hash; Padding = padding; KeyAlgorithm = keyAlgorithm;
        Certificate = certificate; Chain = chain;
    }

    internal byte[] Document { get; }
    internal string Name { get; }
    internal string Template { get; }
    internal byte[] DigestBytes { get; }

    /// <summary>The Id of the ds:Signature being made.</summary>
    public string SignatureId { get; }
    /// <inheritdoc />
    public ReadOnlyMemory<byte> Digest => DigestBytes;
    /// <inheritdoc />
    public HashAlgorithmName Hash { get; }
    /// <inheritdoc />
    public RsaPadding Padding { get; }
    /// <summary>The key family the SignatureMethod was written for.</summary>
    public KeyAlgorithm KeyAlgorithm { get; }
    /// <summary>The signer's certificate written into KeyInfo.</summary>
    public X509Certificate2 Certificate { get; }
    /// <summary>The chain known at preparation.</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    internal List<TextEdit> Edits(string signatureMarkup) =>
        _edits.Concat(new[] { _container.AppendChild(_open + signatureMarkup + _close) }).ToList();

    internal string Compose(string signatureMarkup) => XmlSource.Decode(Document, Name).Apply(Edits(signatureMarkup));

    /// <inheritdoc />
    public byte[] Serialize()
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, true))
        {
            w.Write(Version);
            w.Write(Document.Length); w.Write(Document);
            w.Write(Name);
            w.Write(_edits.Count);
            foreach (var e in _edits) { w.Write(e.Offset); w.Write(e.RemoveLength); w.Write(e.Insert); }
            w.Write(_container.Start); w.Write(_container.StartTagEnd); w.Write(_container.EndTagStart); w.Write(_container.IsEmpty); w.Write(_container.QualifiedName);
            w.Write(_open); w.Write(_close); w.Write(Template); w.Write(SignatureId);
            w.Write(DigestBytes.Length); w.Write(DigestBytes);
            w.Write(Hash.Name ?? "SHA256"); w.Write((int)Padding); w.Write((int)KeyAlgorithm);
            w.Write(Certificate.RawData.Length); w.Write(Certificate.RawData);
            w.Write(Chain.Count);
            foreach (var c in Chain) { w.Write(c.RawData.Length); w.Write(c.RawData); }
        }
        return ms.ToArray();
    }

    /// <summary>Restores a state made by <see cref="Serialize"/>.</summary>
    /// <exception cref="InvalidInputException">The bytes are not such a state.</exception>
    public static PreparedXmlSignature Deserialize(byte[] state)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(state), Encoding.UTF8);
            if (r.ReadInt32() != Version) throw XmlMessages.Invalid("PreparedStateInvalid", "version");
            var doc = r.ReadBytes(r.ReadInt32());
            var name = r.ReadString();
            int n = r.ReadInt32();
            var edits = new List<TextEdit>();
            for (int i = 0; i < n; i++) edits.Add(new TextEdit(r.ReadInt32(), r.ReadInt32(), r.ReadString()));
            var span = new ElementSpan(r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadBoolean(), r.ReadString());
            string open = r.ReadString(), close = r.ReadString(), template = r.ReadString(), id = r.ReadString();
            var digest = r.ReadBytes(r.ReadInt32());
            var hash = new HashAlgorithmName(r.ReadString());
            var padding = (RsaPadding)r.ReadInt32();
            var key = (KeyAlgorithm)r.ReadInt32();
            var cert = Load(r.ReadBytes(r.ReadInt32()));
            int m = r.ReadInt32();
            var chain = new List<X509Certificate2>();
            for (int i = 0; i < m; i++) chain.Add(Load(r.ReadBytes(r.ReadInt32())));
            return new PreparedXmlSignature(doc, name, edits, span, open, close, template, id, digest, hash, padding, key, cert, chain);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or CryptographicException or ArgumentException)
        {
            throw XmlMessages.Invalid("PreparedStateInvalid", e, e.Message);
        }
    }

#if NET9_0_OR_GREATER
    private static X509Certificate2 Load(byte[] der) => X509CertificateLoader.LoadCertificate(der);
#else
    private static X509Certificate2 Load(byte[] der) => new(der);
#endif
}

using System.CommandLine;
using System.Text;
using System.Text.Json;
using VnGovSign.IO;
using VnGovSign.Pkcs11;
using VnGovSign.Trust;

namespace VnGovSign.Cli.Commands;

/// <summary>
/// <c>vngovsign token list|keygen|csr|import-cert</c>: USB tokens and HSMs through any vendor's PKCS#11
/// module. The PIN is sent at most once per command and never retried.
/// </summary>
internal static class TokenCommands
{
    public static Command Create()
    {
        var token = new Command("token", "Token USB / HSM qua thư viện PKCS#11 / USB tokens and HSMs through a PKCS#11 module");
        token.Subcommands.Add(List());
        token.Subcommands.Add(Keygen());
        token.Subcommands.Add(Csr());
        token.Subcommands.Add(ImportCert());
        return token;
    }

    /// <summary>--module, --token, --pin, --key: what every command that works on one key needs.</summary>
    private sealed class KeyArguments
    {
        public Option<string> Module { get; } = new("--module") { Description = "Thư viện PKCS#11 của token (.so/.dll/.dylib) / the token's PKCS#11 module", Required = true };
        public Option<string> Token { get; } = new("--token") { Description = "Nhãn (hoặc số sê-ri) của token / token label (or serial number)", Required = true };
        public Option<string> Pin { get; } = new("--pin") { Description = "Mã PIN người dùng (không bao giờ tự thử lại; bỏ trống nếu token có bàn phím PIN) / user PIN (never retried; omit for a PIN pad)" };
        public Option<string> Key { get; } = new("--key") { Description = "Nhãn khóa / key label", Required = true };

        public void AddTo(Command command)
        {
            command.Options.Add(Module);
            command.Options.Add(Token);
            command.Options.Add(Pin);
            command.Options.Add(Key);
        }

        public Pkcs11Token Open(CliContext ctx, bool readWrite)
        {
            using var module = Pkcs11Module.Load(ctx.Get(Module)!);
            return module.OpenToken(ctx.Get(Token)!, ctx.Get(Pin), readWrite);
        }
    }

    private static Command List()
    {
        var module = new Option<string>("--module") { Description = "Thư viện PKCS#11 của token / the token's PKCS#11 module", Required = true };
        var tokenLabel = new Option<string>("--token") { Description = "Chỉ token này / only this token" };
        var pin = new Option<string>("--pin") { Description = "Đăng nhập để thấy cả khóa bí mật (không tự thử lại) / log in to see private keys too (never retried)" };
        var cmd = new Command("list", "Liệt kê token, chứng thư và khóa / list tokens, certificates and keys") { module, tokenLabel, pin };
        CliRunner.SetHandler(cmd, ctx =>
        {
            using var m = Pkcs11Module.Load(ctx.Get(module)!);
            string? only = ctx.Get(tokenLabel);
            string? p = ctx.Get(pin);
            var tokens = only is null ? m.GetTokens() : new[] { m.FindToken(only) };
            var listing = new List<(TokenDescription Token, IReadOnlyList<TokenObject> Objects, IReadOnlyList<TokenKey>? Keys)>();
            foreach (var t in tokens)
            {
                if (!t.Flags.HasFlag(TokenFlags.TokenInitialized)) { listing.Add((t, Array.Empty<TokenObject>(), null)); continue; }
                if (p is not null && only is not null)
                {
                    using var opened = m.OpenToken(t.Label, p);
                    listing.Add((t, opened.ListObjects(), opened.ListKeys()));
                }
                else listing.Add((t, m.ListPublicObjects(t), null));
            }
            if (ctx.Json) WriteJson(ctx, m, listing);
            else WriteText(ctx, m, listing);
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    private static void WriteText(CliContext ctx, Pkcs11Module m,
        List<(TokenDescription Token, IReadOnlyList<TokenObject> Objects, IReadOnlyList<TokenKey>? Keys)> listing)
    {
        ctx.Out.WriteLine(ctx.Text("TokenModule", m.Path, m.Description));
        if (listing.Count == 0) ctx.Out.WriteLine(ctx.Text("TokenNone"));
        foreach (var (t, objects, keys) in listing)
        {
            if (!t.Flags.HasFlag(TokenFlags.TokenInitialized))
            {
                ctx.Out.WriteLine(ctx.Text("TokenUninitialized", t.SlotId));
                continue;
            }
            ctx.Out.WriteLine(ctx.Text("TokenLine", t.Label, t.SerialNumber, t.Manufacturer, t.Model, t.SlotId));
            ctx.Out.WriteLine("  " + ctx.Text("TokenFlagsLine", t.FlagNames));
            foreach (var o in objects)
            {
                string kind = o.Kind switch
                {
                    TokenObjectKind.Certificate => ctx.Text("TokenCertificate"),
                    TokenObjectKind.PrivateKey => ctx.Text("TokenPrivateKey"),
                    _ => ctx.Text("TokenPublicKey"),
                };
                var sb = new StringBuilder("  ").Append(kind).Append(" '").Append(o.Label).Append("' id=").Append(o.IdHex);
                if (o.KeyAlgorithm is { } alg) sb.Append(' ').Append(alg == KeyAlgorithm.Rsa ? "RSA-" + o.KeySize : "EC-" + o.KeySize);
                if (o.Certificate is { } c)
                    sb.Append(" — ").Append(c.Subject).Append(" (").Append(c.NotBefore.ToUniversalTime().ToString("yyyy-MM-dd")).Append(" → ")
                      .Append(c.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd")).Append(')');
                ctx.Out.WriteLine(sb.ToString());
            }
            if (keys is not null)
                foreach (var k in keys)
                    ctx.Out.WriteLine("  " + ctx.Text("TokenKeyPair", k.Label, k.IdHex, k.Certificate?.Subject ?? "-", k.Pairing));
        }
    }

    private static void WriteJson(CliContext ctx, Pkcs11Module m,
        List<(TokenDescription Token, IReadOnlyList<TokenObject> Objects, IReadOnlyList<TokenKey>? Keys)> listing)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("module", m.Path);
            w.WriteStartArray("tokens");
            foreach (var (t, objects, keys) in listing)
            {
                w.WriteStartObject();
                w.WriteNumber("slot", t.SlotId);
                w.WriteString("label", t.Label);
                w.WriteString("serialNumber", t.SerialNumber);
                w.WriteString("manufacturer", t.Manufacturer);
                w.WriteString("model", t.Model);
                w.WriteStartArray("flags");
                foreach (var f in t.FlagNames.Split(new[] { ", " }, StringSplitOptions.RemoveEmptyEntries)) w.WriteStringValue(f);
                w.WriteEndArray();
                w.WriteStartArray("objects");
                foreach (var o in objects)
                {
                    w.WriteStartObject();
                    w.WriteString("kind", o.Kind switch { TokenObjectKind.Certificate => "certificate", TokenObjectKind.PrivateKey => "privateKey", _ => "publicKey" });
                    w.WriteString("label", o.Label);
                    w.WriteString("id", o.IdHex);
                    if (o.KeyAlgorithm is { } alg) { w.WriteString("algorithm", alg == KeyAlgorithm.Rsa ? "RSA" : "EC"); w.WriteNumber("keySize", o.KeySize); }
                    if (o.Certificate is { } c)
                    {
                        w.WriteString("subject", c.Subject);
                        w.WriteString("issuer", c.Issuer);
                        w.WriteString("notBefore", c.NotBefore.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ"));
                        w.WriteString("notAfter", c.NotAfter.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ"));
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                if (keys is not null)
                {
                    w.WriteStartArray("keys");
                    foreach (var k in keys)
                    {
                        w.WriteStartObject();
                        w.WriteString("label", k.Label);
                        w.WriteString("id", k.IdHex);
                        w.WriteString("certificate", k.Certificate?.Subject);
                        w.WriteString("pairing", k.Pairing.ToString());
                        w.WriteBoolean("alwaysAuthenticate", k.AlwaysAuthenticate);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        ctx.Out.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static Command Keygen()
    {
        var args = new KeyArguments();
        var algorithm = new Option<string>("--algorithm") { Description = "rsa2048 (mặc định / default) | rsa3072 | p256", DefaultValueFactory = _ => "rsa2048" };
        var cmd = new Command("keygen", "Sinh cặp khóa trên token (khóa bí mật không xuất được) / generate a key pair on the token (private key non-extractable)");
        args.AddTo(cmd);
        cmd.Options.Add(algorithm);
        CliRunner.SetHandler(cmd, ctx =>
        {
            var type = ctx.Get(algorithm)!.Trim().ToLowerInvariant() switch
            {
                "rsa2048" or "rsa-2048" or "rsa" => TokenKeyType.Rsa2048,
                "rsa3072" or "rsa-3072" => TokenKeyType.Rsa3072,
                "p256" or "p-256" or "ec" or "ecdsa" or "secp256r1" => TokenKeyType.EcP256,
                var other => throw new UsageException(ctx.Text("TokenAlgorithmUnknown", other)),
            };
            using var token = args.Open(ctx, readWrite: true);
            var key = token.GenerateKeyPair(ctx.Get(args.Key)!, type);
            ctx.Out.WriteLine(ctx.Text("TokenKeyGenerated", key.Label, key.IdHex,
                key.KeyAlgorithm == KeyAlgorithm.Rsa ? "RSA-" + key.KeySize : "EC P-256", token.Token.Label));
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    private static Command Csr()
    {
        var args = new KeyArguments();
        var subject = new Option<string>("--subject") { Description = "Tên chủ thể, ví dụ \"CN=Nguyễn Văn An, O=…, L=Hà Nội, C=VN, UID=CCCD:…\" / subject name", Required = true };
        var output = new Option<string>("--out") { Description = "Tệp yêu cầu PKCS#10 (PEM) / PKCS#10 request file (PEM)", Required = true };
        var cmd = new Command("csr", "Tạo yêu cầu cấp chứng thư (PKCS#10) ký bằng khóa trên token / PKCS#10 request signed by the token key");
        args.AddTo(cmd);
        cmd.Options.Add(subject);
        cmd.Options.Add(output);
        CliRunner.SetHandler(cmd, async ctx =>
        {
            var dn = ctx.Get(subject)!;
            Pkcs11Token.ParseSubject(dn); // a bad subject is a usage problem found before the token is touched
            var outPath = ctx.Get(output)!;
            byte[] der;
            using (var token = args.Open(ctx, readWrite: false))
                der = token.CreateCertificationRequest(ctx.Get(args.Key)!, dn);
            await AtomicFile.WriteAllBytesAsync(outPath, Encoding.ASCII.GetBytes(CertificateFiles.ToPem(der, "CERTIFICATE REQUEST")), ctx.CancellationToken);
            ctx.Out.WriteLine(ctx.Text("TokenCsrWritten", outPath, dn));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command ImportCert()
    {
        var args = new KeyArguments();
        var cert = new Option<string>("--cert") { Description = "Chứng thư đã được cấp (PEM/DER) / the issued certificate (PEM or DER)", Required = true };
        var cmd = new Command("import-cert", "Nạp chứng thư lên token cạnh khóa của nó (cùng CKA_ID và nhãn) / store the certificate next to its key (same CKA_ID and label)");
        args.AddTo(cmd);
        cmd.Options.Add(cert);
        CliRunner.SetHandler(cmd, ctx =>
        {
            var certificate = CertificateFiles.Load(ctx.Get(cert)!)[0];
            using var token = args.Open(ctx, readWrite: true);
            var key = token.ImportCertificate(ctx.Get(args.Key)!, certificate);
            ctx.Out.WriteLine(ctx.Text("TokenCertImported", certificate.Subject, key.Label, key.IdHex, token.Token.Label));
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }
}

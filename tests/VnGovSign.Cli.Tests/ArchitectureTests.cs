using System.Reflection;

namespace VnGovSign.Cli.Tests;

/// <summary>
/// The package rules of docs/architecture.md, checked on the built assemblies: layers point one way
/// (Formats → Core ← Pkcs11), and BouncyCastle never appears in a public signature.
/// </summary>
public class ArchitectureTests
{
    private static readonly string[] Libraries =
    {
        "VnGovSign.Core", "VnGovSign.Pkcs11", "VnGovSign.Formats.Pdf", "VnGovSign.Formats.Xml",
        "VnGovSign.Formats.OpenXml", "VnGovSign.Remote", "VnGovSign.Testing",
    };

    private static Assembly Load(string name) => Assembly.Load(new AssemblyName(name));

    [Fact]
    public void Core_references_no_format_no_device_and_no_service_package()
    {
        var referenced = Load("VnGovSign.Core").GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(referenced, n => n.StartsWith("VnGovSign.", StringComparison.Ordinal));
        Assert.DoesNotContain(referenced, n => n.StartsWith("Net.Pkcs11Interop", StringComparison.Ordinal));
        Assert.DoesNotContain(referenced, n => n.StartsWith("DocumentFormat.OpenXml", StringComparison.Ordinal));
        Assert.DoesNotContain(referenced, n => n.StartsWith("PdfSharp", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("VnGovSign.Formats.Pdf")]
    [InlineData("VnGovSign.Formats.Xml")]
    [InlineData("VnGovSign.Formats.OpenXml")]
    [InlineData("VnGovSign.Pkcs11")]
    [InlineData("VnGovSign.Remote")]
    public void Formats_and_signers_depend_on_Core_and_not_on_each_other(string name)
    {
        var referenced = Load(name).GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains("VnGovSign.Core", referenced);
        var siblings = referenced.Where(n => n.StartsWith("VnGovSign.", StringComparison.Ordinal) && n != "VnGovSign.Core").ToList();
        Assert.True(siblings.Count == 0, name + " references " + string.Join(", ", siblings));
    }

    [Fact]
    public void No_public_signature_exposes_a_BouncyCastle_type()
    {
        var offenders = new List<string>();
        foreach (var name in Libraries)
            foreach (var type in Load(name).GetExportedTypes())
            {
                if (IsBc(type.BaseType)) offenders.Add(type.FullName + " : " + type.BaseType);
                foreach (var i in type.GetInterfaces()) if (IsBc(i)) offenders.Add(type.FullName + " : " + i);
                const BindingFlags Visible = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
                foreach (var m in type.GetMembers(Visible))
                {
                    if (!IsVisible(m)) continue;
                    foreach (var t in SignatureTypes(m))
                        if (IsBc(t)) offenders.Add(type.FullName + "." + m.Name + " uses " + t);
                }
            }
        Assert.True(offenders.Count == 0, string.Join(Environment.NewLine, offenders));
    }

    private static bool IsVisible(MemberInfo m) => m switch
    {
        MethodBase mb => mb.IsPublic || mb.IsFamily || mb.IsFamilyOrAssembly,
        FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
        PropertyInfo p => p.GetAccessors(true).Any(a => a.IsPublic || a.IsFamily || a.IsFamilyOrAssembly),
        EventInfo e => e.AddMethod is { } add && (add.IsPublic || add.IsFamily),
        _ => false,
    };

    private static IEnumerable<Type> SignatureTypes(MemberInfo m) => m switch
    {
        MethodInfo mi => mi.GetParameters().Select(p => p.ParameterType).Append(mi.ReturnType),
        ConstructorInfo ci => ci.GetParameters().Select(p => p.ParameterType),
        PropertyInfo pi => new[] { pi.PropertyType },
        FieldInfo fi => new[] { fi.FieldType },
        EventInfo ei => ei.EventHandlerType is { } h ? new[] { h } : Array.Empty<Type>(),
        _ => Array.Empty<Type>(),
    };

    private static bool IsBc(Type? t)
    {
        if (t is null) return false;
        while (t.HasElementType) t = t.GetElementType()!;
        if (t.Namespace?.StartsWith("Org.BouncyCastle", StringComparison.Ordinal) == true) return true;
        return t.IsGenericType && t.GetGenericArguments().Any(IsBc);
    }
}

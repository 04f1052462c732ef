using VnGovSign.Testing;

namespace VnGovSign.Core.Tests;

/// <summary>One deterministic test PKI per test class (RSA key generation is the slow part).</summary>
public sealed class PkiFixture
{
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    public PkiFixture()
    {
        Pki = TestPki.Create(new TestPkiOptions { Seed = 20261201, Now = Now });
    }

    public TestPki Pki { get; }
}

/// <summary>A clock that always says the same time.</summary>
public sealed class FixedClock : TimeProvider
{
    private readonly DateTimeOffset _now;
    public FixedClock(DateTimeOffset now) => _now = now;
    public override DateTimeOffset GetUtcNow() => _now;
}

namespace VnGovSign.Formats.Pdf.Appearance;

/// <summary>
/// Where appearance rendering puts the PDF objects it makes (image XObjects, fonts, the form XObject).
/// The incremental writer implements it: each call allocates the next object number of the new revision.
/// </summary>
public interface IPdfObjectSink
{
    /// <summary>
    /// Adds one indirect object. <paramref name="objectBody"/> is everything between "N 0 obj\n" and
    /// "\nendobj": a dictionary, or a stream dictionary followed by "stream\n…\nendstream" (with a
    /// correct /Length). Returns the new object's number (generation 0).
    /// </summary>
    int Add(byte[] objectBody);

    /// <summary>Reserves an object number whose body is given later with <see cref="Set"/> (for forward references).</summary>
    int Reserve();

    /// <summary>Gives the body of an object number obtained from <see cref="Reserve"/>.</summary>
    void Set(int objectNumber, byte[] objectBody);
}

using System.Runtime.CompilerServices;

// The shell parser and interpreter are internal details of the instance runtime; the tests
// exercise them directly so each construct is pinned without booting a machine.
[assembly: InternalsVisibleTo("LabPortal.Tests")]

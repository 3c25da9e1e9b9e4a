namespace LabPortal.Sandbox.Wire;

/// <summary>
/// One <c>Filter.N</c> of an EC2 Describe call: a name and its values (OR-ed). Values may hold the
/// wildcards <c>*</c> and <c>?</c> (EC2 API reference, "Filter": "You can use wildcards").
/// </summary>
public sealed record QueryFilter(string Name, IReadOnlyList<string> Values)
{
    /// <summary>True when any of <paramref name="candidates"/> matches any of the filter's values.</summary>
    public bool Matches(IEnumerable<string?> candidates)
    {
        foreach (var candidate in candidates)
        {
            if (candidate is null)
            {
                continue;
            }

            foreach (var pattern in Values)
            {
                if (WildcardMatch(pattern, candidate))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True when the single value <paramref name="candidate"/> matches.</summary>
    public bool Matches(string? candidate) => Matches([candidate]);

    private static bool WildcardMatch(string pattern, string text)
    {
        // Iterative glob match with backtracking on the last '*': linear enough for the short
        // values filters carry, and no regex to build per call.
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}

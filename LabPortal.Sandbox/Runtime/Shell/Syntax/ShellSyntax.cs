namespace LabPortal.Sandbox.Runtime.Shell.Syntax;

// The syntax tree of the shell subset. Words keep their parts unexpanded: variables and
// command substitutions expand when the command runs, as in bash, so `X=1; echo $X` works.

internal abstract record WordPart(bool Quoted);

internal sealed record LiteralPart(string Text, bool Quoted) : WordPart(Quoted);

/// <summary><c>$NAME</c>, <c>${NAME}</c>, <c>${NAME:-default}</c>, or <c>${#NAME}</c> when <paramref name="Length"/>.</summary>
internal sealed record ParameterPart(string Name, ShellWord? DefaultValue, bool Quoted, bool Length = false) : WordPart(Quoted);

/// <summary><c>$(...)</c> or backticks; the inner text is parsed when it runs.</summary>
internal sealed record CommandSubstitutionPart(string Script, bool Quoted) : WordPart(Quoted);

/// <summary><c>$(( expression ))</c>; parameters inside expand first, as in bash.</summary>
internal sealed record ArithmeticPart(ShellWord Expression, bool Quoted) : WordPart(Quoted);

internal sealed record ShellWord(IReadOnlyList<WordPart> Parts)
{
    public static readonly ShellWord Empty = new([]);

    /// <summary>The word's text when it contains no expansion (used for keywords and delimiters).</summary>
    public string? LiteralText =>
        Parts.All(p => p is LiteralPart) ? string.Concat(Parts.Cast<LiteralPart>().Select(p => p.Text)) : null;
}

internal enum RedirectionKind
{
    Output,
    Append,
    Input,
    HereDocument,
    HereString,
    Duplicate,
}

/// <summary>A here-document body; filled in when the parser reaches the lines after the command.</summary>
internal sealed class HereDocument(string delimiter, bool expand, bool stripTabs)
{
    public string Delimiter { get; } = delimiter;

    public bool Expand { get; } = expand;

    public bool StripTabs { get; } = stripTabs;

    public string Body { get; set; } = "";
}

// Fd is the descriptor redirected (1 for ">", 0 for "<", -1 for "&>", meaning both streams);
// Target is the file name, or the descriptor number for RedirectionKind.Duplicate.
internal sealed record Redirection(int Fd, RedirectionKind Kind, ShellWord? Target, HereDocument? HereDocument);

internal sealed record Assignment(string Name, ShellWord Value);

internal sealed record SimpleCommand(
    IReadOnlyList<Assignment> Assignments,
    IReadOnlyList<ShellWord> Words,
    IReadOnlyList<Redirection> Redirections,
    string Source);

/// <summary>Commands joined by <c>|</c>; <paramref name="Negated"/> for <c>! cmd</c>.</summary>
internal sealed record Pipeline(IReadOnlyList<SimpleCommand> Commands, bool Negated = false);

internal enum ListOperator
{
    And,
    Or,
}

internal abstract record ShellStatement(string Source);

/// <summary><c>a &amp;&amp; b || c</c>; <paramref name="Background"/> when it ended with <c>&amp;</c>.</summary>
internal sealed record AndOrList(Pipeline First, IReadOnlyList<(ListOperator Operator, Pipeline Pipeline)> Rest, bool Background, string Source)
    : ShellStatement(Source);

/// <summary><c>{ ...; }</c>: commands grouped in the current shell.</summary>
internal sealed record GroupStatement(IReadOnlyList<ShellStatement> Body, string Source) : ShellStatement(Source);

/// <summary><c>name() { ... }</c> or <c>function name { ... }</c>.</summary>
internal sealed record FunctionDefinition(string Name, IReadOnlyList<ShellStatement> Body, string Source) : ShellStatement(Source);

/// <summary>A compound command the subset does not run (<c>select</c>, <c>( subshell )</c> bodies): reported as ignored.</summary>
internal sealed record UnsupportedBlock(string Source) : ShellStatement(Source);

/// <summary>A compound command bash could not parse (a missing <c>fi</c> or <c>done</c>): bash stops the script with status 2.</summary>
internal sealed record SyntaxErrorStatement(string Message, string Source) : ShellStatement(Source);

internal sealed record ConditionalBranch(IReadOnlyList<ShellStatement> Condition, IReadOnlyList<ShellStatement> Body);

/// <summary><c>if ...; then ...; elif ...; then ...; else ...; fi</c>.</summary>
internal sealed record IfStatement(IReadOnlyList<ConditionalBranch> Branches, IReadOnlyList<ShellStatement>? ElseBody, string Source)
    : ShellStatement(Source);

/// <summary><c>for NAME in WORDS; do ...; done</c>.</summary>
internal sealed record ForStatement(string Variable, IReadOnlyList<ShellWord> Items, IReadOnlyList<ShellStatement> Body, string Source)
    : ShellStatement(Source);

internal sealed record CaseItem(IReadOnlyList<ShellWord> Patterns, IReadOnlyList<ShellStatement> Body);

/// <summary><c>case WORD in PATTERN|PATTERN) ... ;; esac</c>.</summary>
internal sealed record CaseStatement(ShellWord Subject, IReadOnlyList<CaseItem> Items, string Source) : ShellStatement(Source);

/// <summary><c>while</c> (or <c>until</c>) <c>COND; do ...; done</c>.</summary>
internal sealed record WhileStatement(IReadOnlyList<ShellStatement> Condition, IReadOnlyList<ShellStatement> Body, bool Until, string Source)
    : ShellStatement(Source);

internal sealed record ShellScript(IReadOnlyList<ShellStatement> Statements)
{
    public static ShellScript Parse(string text) => ShellParser.Parse(text);
}

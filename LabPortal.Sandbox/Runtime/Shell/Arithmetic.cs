using System.Globalization;

namespace LabPortal.Sandbox.Runtime.Shell;

/// <summary>
/// Evaluates bash arithmetic (<c>$(( ))</c>) over 64-bit integers: + - * / % ** with
/// parentheses, comparisons, ! &amp;&amp; ||, and variable names (unset or non-numeric is 0,
/// as in bash). Null when the expression cannot be read (bash: "syntax error in expression").
/// </summary>
internal sealed class Arithmetic
{
    private readonly string _text;
    private readonly Func<string, string?> _variable;
    private int _position;

    private Arithmetic(string text, Func<string, string?> variable)
    {
        _text = text;
        _variable = variable;
    }

    public static long? Evaluate(string expression, Func<string, string?> variable)
    {
        var parser = new Arithmetic(expression, variable);
        try
        {
            var value = parser.Or();
            parser.SkipSpaces();
            return parser._position == parser._text.Length ? value : null;
        }
        catch (DivideByZeroException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private long Or()
    {
        var left = And();
        while (Accept("||"))
        {
            var right = And();
            left = left != 0 || right != 0 ? 1 : 0;
        }

        return left;
    }

    private long And()
    {
        var left = Comparison();
        while (Accept("&&"))
        {
            var right = Comparison();
            left = left != 0 && right != 0 ? 1 : 0;
        }

        return left;
    }

    private long Comparison()
    {
        var left = Sum();
        while (true)
        {
            if (Accept("<="))
            {
                left = left <= Sum() ? 1 : 0;
            }
            else if (Accept(">="))
            {
                left = left >= Sum() ? 1 : 0;
            }
            else if (Accept("=="))
            {
                left = left == Sum() ? 1 : 0;
            }
            else if (Accept("!="))
            {
                left = left != Sum() ? 1 : 0;
            }
            else if (Accept("<"))
            {
                left = left < Sum() ? 1 : 0;
            }
            else if (Accept(">"))
            {
                left = left > Sum() ? 1 : 0;
            }
            else
            {
                return left;
            }
        }
    }

    private long Sum()
    {
        var left = Product();
        while (true)
        {
            if (Accept("+"))
            {
                left = unchecked(left + Product());
            }
            else if (Accept("-"))
            {
                left = unchecked(left - Product());
            }
            else
            {
                return left;
            }
        }
    }

    private long Product()
    {
        var left = Power();
        while (true)
        {
            if (Accept("*"))
            {
                left = unchecked(left * Power());
            }
            else if (Accept("/"))
            {
                left /= NonZero(Power());
            }
            else if (Accept("%"))
            {
                left %= NonZero(Power());
            }
            else
            {
                return left;
            }
        }
    }

    private long Power()
    {
        var value = Unary();
        if (Accept("**"))
        {
            var exponent = Power();
            var result = 1L;
            for (var i = 0L; i < exponent && i < 64; i++)
            {
                result = unchecked(result * value);
            }

            return result;
        }

        return value;
    }

    private long Unary()
    {
        if (Accept("-"))
        {
            return unchecked(-Unary());
        }

        if (Accept("+"))
        {
            return Unary();
        }

        if (Accept("!"))
        {
            return Unary() == 0 ? 1 : 0;
        }

        return Primary();
    }

    private long Primary()
    {
        SkipSpaces();
        if (Accept("("))
        {
            var value = Or();
            if (!Accept(")"))
            {
                throw new FormatException("missing )");
            }

            return value;
        }

        var start = _position;
        if (_position < _text.Length && char.IsAsciiDigit(_text[_position]))
        {
            while (_position < _text.Length && char.IsAsciiDigit(_text[_position]))
            {
                _position++;
            }

            return long.Parse(_text.AsSpan(start, _position - start), CultureInfo.InvariantCulture);
        }

        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] == '_'))
        {
            _position++;
        }

        if (_position == start)
        {
            throw new FormatException("operand expected");
        }

        var text = _variable(_text[start.._position])?.Trim();
        return long.TryParse(text, CultureInfo.InvariantCulture, out var number) ? number : 0;
    }

    private static long NonZero(long value) => value == 0 ? throw new DivideByZeroException() : value;

    private bool Accept(string token)
    {
        SkipSpaces();
        if (string.CompareOrdinal(_text, _position, token, 0, token.Length) != 0)
        {
            return false;
        }

        // "<" must not take the first half of "<=", "*" not the first of "**" (longer tokens are tried first).
        _position += token.Length;
        return true;
    }

    private void SkipSpaces()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }
}

namespace Keyless.Trust.Automata;

/// <summary>
/// One piece of <see cref="Dfa.SplitAt(char)"/>: the words <c>Head + separator + Tail</c>,
/// where <see cref="Head"/> never contains the separator.
/// </summary>
public sealed record DfaSplit(Dfa Head, Dfa Tail);

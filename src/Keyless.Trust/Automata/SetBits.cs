using System.Numerics;

namespace Keyless.Trust.Automata;

/// <summary>
/// The positions of the set bits of a bit set (64 positions per word), lowest first, for the subset constructions:
/// <c>foreach (var position in new SetBits(set))</c>.
/// </summary>
internal ref struct SetBits(ReadOnlySpan<ulong> words)
{
    private readonly ReadOnlySpan<ulong> _words = words;
    private int _word = -1;
    private ulong _bits;

    public int Current { get; private set; }

    public readonly SetBits GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_bits == 0)
        {
            if (++_word >= _words.Length)
            {
                return false;
            }

            _bits = _words[_word];
        }

        Current = (_word << 6) + BitOperations.TrailingZeroCount(_bits);
        _bits &= _bits - 1;
        return true;
    }
}
